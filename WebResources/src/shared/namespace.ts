/**
 * Adds one member to the global EmergencySolution object without replacing it, so several of our scripts can share a
 * form or page (an esbuild globalName would overwrite whatever the previous bundle put there).
 */
export function publish(member: string, value: object): void {
  const host = globalThis as unknown as { EmergencySolution?: Record<string, unknown> };
  const namespace = host.EmergencySolution ?? (host.EmergencySolution = {});
  namespace[member] = value;
}
