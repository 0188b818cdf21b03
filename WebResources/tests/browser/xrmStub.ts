import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What the stubbed Xrm.WebApi answers in one browser scenario. */
export interface XrmScenario {
  readonly userId: string;
  /** The user's active emc_emergencycall row, its expiry relative to page load; null for none. */
  readonly activeCall: { readonly id: string; readonly callbackNumber: string; readonly expiresInSeconds: number } | null;
  readonly startResponse: { readonly body: Record<string, unknown>; readonly expiresInSeconds: number } | { readonly fail: string };
  readonly endResponse: { readonly restoredPresenceId: string | null } | { readonly fail: string };
  /** The status text retrieveRecord answers for msdyn_presence (the presence End restores). */
  readonly presenceText: string;
  /** The status text of the Do not disturb presence (base status 192360002); null when the org has none. */
  readonly dndPresenceText: string | null;
  /** How long the Do not disturb lookup takes to answer, to open a window for End to race it. */
  readonly dndLookupDelayMs?: number;
  readonly withCiFramework: boolean;
  /** Makes Microsoft.CIFramework.setPresence reject with this message. */
  readonly setPresenceFails?: string;
  /** Leaves the panel's start-in-flight marker in sessionStorage before the page loads (a reload during Start). */
  readonly startInFlightBeforeLoad?: boolean;
}

export interface RecordedPlatformCall {
  readonly api: string;
  readonly entity?: string;
  readonly id?: string;
  readonly options?: string;
  readonly operationName?: string;
  readonly operationType?: number;
  readonly parameters?: Record<string, unknown>;
  readonly presenceText?: string;
}

const stubSource = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "xrm-stub.js"), "utf8");

/** The init script for page.addInitScript({ content }): the scenario, then the stub that reads it. */
export function xrmStubScript(scenario: XrmScenario): string {
  return `window.__emcScenario = ${JSON.stringify(scenario)};\n${stubSource}`;
}
