// Web resource emc_/scripts/dial_watcher.js: the client trigger of an emergency call. It loads with the agent's app:
//   - Active Conversation form (msdyn_ocliveworkitem) OnLoad: EmergencySolution.DialWatcher.onLoad, shipped in the
//     package's form diff of that form;
//   - optionally, added by hand, as the CustomRule of an enable rule on the application ribbon's global command bar:
//     EmergencySolution.DialWatcher.loadWithApp (see docs/web-resources.md).
// Either way it starts once per window and never throws into the host.
import type { DataClient } from "../shared/dataClient";
import { consoleLogger } from "../shared/logging";
import { publish } from "../shared/namespace";
import { openPanelChannel } from "../shared/panelChannel";
import { browserRetryDependencies } from "../shared/retry";
import { findStandaloneSdk } from "./contactCenterSdk";
import { createDialWatcher, type DialWatcher } from "./dialWatcher";

export const PANEL_PANE_ID = "emcEmergencyPanel";
export const PANEL_WEB_RESOURCE = "emc_/panel/emergency_panel.html";

interface SidePane {
  select?(): void;
  navigate(pageInput: { pageType: "webresource"; webresourceName: string }): PromiseLike<unknown>;
}

interface AppXrm {
  WebApi?: unknown;
  Utility?: { getGlobalContext?: () => { userSettings?: { userId?: string } } };
  App?: {
    sidePanes?: {
      getPane(paneId: string): SidePane | undefined;
      createPane(options: { title: string; paneId: string; canClose: boolean; width: number }): PromiseLike<SidePane>;
    };
  };
}

const logger = consoleLogger("EmergencySolution dial watcher");
let watcher: DialWatcher | null = null;

/** Opens the emergency panel in the app's side pane (Xrm.App.sidePanes), or brings it forward when it is open. */
async function openPanel(xrm: AppXrm | undefined): Promise<void> {
  const sidePanes = xrm?.App?.sidePanes;
  if (!sidePanes) throw new Error("Xrm.App.sidePanes is not available in this app");
  const existing = sidePanes.getPane(PANEL_PANE_ID);
  if (existing) {
    existing.select?.();
    return;
  }
  const pane = await sidePanes.createPane({ title: "Emergency", paneId: PANEL_PANE_ID, canClose: false, width: 360 });
  await pane.navigate({ pageType: "webresource", webresourceName: PANEL_WEB_RESOURCE });
}

/** Starts the watcher in this window once; later calls return the same watcher. Never throws. */
function start(): DialWatcher | null {
  try {
    // A watcher that could not listen (no SDK yet) is replaced by the next start, so a later form load can try again.
    if (watcher?.listening) return watcher;
    const host = globalThis as unknown as { Xrm?: AppXrm; navigator?: { languages?: readonly string[] } };
    const xrm = host.Xrm;
    watcher = createDialWatcher({
      sdk: findStandaloneSdk(globalThis),
      dataClient: (xrm?.WebApi as DataClient | undefined) ?? null,
      userId: xrm?.Utility?.getGlobalContext?.().userSettings?.userId ?? null,
      browserLanguages: host.navigator?.languages ?? [],
      logger,
      retry: browserRetryDependencies,
      openPanel: () => openPanel(xrm),
      channel: openPanelChannel(),
    });
    return watcher;
  } catch (error) {
    console.error("EmergencySolution dial watcher: could not start", error instanceof Error ? error.message : "");
    return null;
  }
}

publish("DialWatcher", {
  start: () => void start(),
  /** Form OnLoad handler (the execution context is not needed). */
  onLoad: () => void start(),
  /** Enable-rule function of the application ribbon: starts the watcher and keeps its marker command hidden. */
  loadWithApp: (): boolean => {
    start();
    return false;
  },
  isListening: (): boolean => watcher?.listening ?? false,
});
