// ESLint for the web resources (npm run lint; test.sh runs it in CI, and a finding fails the run).
// - TypeScript sources and tests: typescript-eslint's type-checked recommended rules, plus every rule of Microsoft's
//   Power Apps checker plug-in (the solution checker's web resource rules, run offline).
// - The built bundles (dist/, what the package ships): every Power Apps checker rule again, on the JavaScript that
//   Dataverse serves, so a rule the sources pass but the bundle breaks cannot slip through.
// Formatting is Prettier's job (npm run format:check); eslint-config-prettier turns off the rules that would fight it.
import js from "@eslint/js";
import powerApps from "@microsoft/eslint-plugin-power-apps";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

// ALL the plug-in's rules, not only its "paCheckerHosted" preset (which lists 21 of them, some as warnings): each one
// is an error here, so a new rule in a later version of the plug-in is switched on by the upgrade itself.
const allPowerAppsRules = Object.fromEntries(Object.keys(powerApps.rules).map((name) => [`@microsoft/power-apps/${name}`, "error"]));

export default tseslint.config(
  { ignores: ["node_modules/**", "test-output/**"] },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser },
    },
    plugins: { "@microsoft/power-apps": powerApps },
    rules: {
      ...allPowerAppsRules,
      // Handlers that must never throw into the host are deliberately fire-and-forget; each such call says `void`.
      "@typescript-eslint/no-floating-promises": ["error", { ignoreVoid: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Tests drive fakes through loosely typed objects on purpose (a fake SDK, a fake Xrm); the type-safety rules that
    // guard production code against `any` would only add casts there.
    files: ["tests/**/*.ts", "*.ts"],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["dist/**/*.js"],
    languageOptions: { ecmaVersion: 2017, sourceType: "script", globals: { ...globals.browser, Xrm: "readonly" } },
    plugins: { "@microsoft/power-apps": powerApps },
    rules: allPowerAppsRules,
  },
  {
    files: ["*.mjs", "scripts/**/*.mjs", "tests/**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  prettier,
);
