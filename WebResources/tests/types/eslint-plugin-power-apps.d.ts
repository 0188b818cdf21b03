// The plug-in ships JavaScript without typings; the lint configuration test only reads its rule names.
declare module "@microsoft/eslint-plugin-power-apps" {
  const plugin: { readonly rules: Readonly<Record<string, unknown>> };
  export default plugin;
}
