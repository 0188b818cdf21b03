import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ActiveCallRow {
  readonly id: string;
  readonly callbackNumber: string | null;
  /** Seconds from page load; null for a call row without an expiry. */
  readonly expiresInSeconds: number | null;
  /** emc_originpath (410750000 calling plan … 410750003 unknown); left out = a row of an older server. */
  readonly originPath?: number;
  readonly callbackDetails?: string;
}

/** What the stubbed platform answers in one browser scenario. */
export interface XrmScenario {
  readonly userId: string;
  /** The user's active emc_emergencycall row; null for none. */
  readonly activeCall: ActiveCallRow | null;
  /** The row the look-up finds once Start has been executed (the watcher's call, seen by the panel). */
  readonly rowAfterStart?: ActiveCallRow;
  /** For a page that does not execute Start itself: the look-up from which rowAfterStart is found (1 = the first). */
  readonly rowFromLookup?: number;
  readonly startResponse:
    { readonly body: Record<string, unknown>; readonly expiresInSeconds: number; readonly failFirst?: number } | { readonly fail: string };
  readonly endResponse: { readonly ok: true } | { readonly fail: string };
  /** msdyn_countryisocode of the agent's Omnichannel Phone; null for an agent without one. */
  readonly agentCountry: string | null;
  /** The agent's open outbound conversation the manual start reads (activityid, msdyn_isoutbound, msdyn_channel); none when absent. */
  readonly openConversation?: Record<string, unknown>;
  /** Installs Microsoft.CCaaS.StandaloneSDK and window.__emcFireConversationLoaded. */
  readonly withContactCenterSdk?: boolean;
}

export interface RecordedPlatformCall {
  readonly api: string;
  readonly entity?: string;
  readonly id?: string;
  readonly options?: string;
  readonly operationName?: string;
  readonly operationType?: number;
  readonly parameters?: Record<string, unknown>;
}

const stubSource = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "xrm-stub.js"), "utf8");

/** The init script for page.addInitScript({ content }): the scenario, then the stub that reads it. */
export function xrmStubScript(scenario: XrmScenario): string {
  return `window.__emcScenario = ${JSON.stringify(scenario)};\n${stubSource}`;
}
