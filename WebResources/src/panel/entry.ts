// Web resource emc_/panel/emergency_panel.js, loaded by emc_/panel/emergency_panel.html (relative url) in the app's
// side pane (Xrm.App.sidePanes; the client watcher opens it). EmergencySolution.Panel offers startEmergencyCall,
// startManually, endCall, refresh and getState to the page.
import type { DataClient } from "../shared/dataClient";
import { consoleLogger } from "../shared/logging";
import { publish } from "../shared/namespace";
import { openPanelChannel } from "../shared/panelChannel";
import type { StartEmergencyCallOptions } from "./emergencyCallClient";
import { createEmergencyPanel } from "./emergencyPanel";
import { resolveManualDial } from "./manualDial";

interface HostWindow {
  Xrm?: {
    WebApi?: unknown;
    Utility?: { getGlobalContext?: () => { userSettings?: { userId?: string } } };
  };
}

/** An HTML web resource runs in a frame: the client API lives on this window or on the app window above it. */
function hostWindows(): HostWindow[] {
  const windows: HostWindow[] = [window];
  try {
    if (window.parent && window.parent !== window) windows.push(window.parent);
  } catch {
    // A parent from another origin cannot be read; this window is all there is.
  }
  return windows;
}

function findXrm(): HostWindow["Xrm"] | undefined {
  return hostWindows()
    .map((host) => host.Xrm)
    .find((xrm) => xrm?.WebApi !== undefined);
}

const logger = consoleLogger("EmergencySolution panel");
const xrm = findXrm();
const dataClient = (xrm?.WebApi as DataClient | undefined) ?? null;
const userId = xrm?.Utility?.getGlobalContext?.().userSettings?.userId ?? null;

const root = document.getElementById("emc-panel-root") ?? document.body;
const panel = createEmergencyPanel({
  root,
  dataClient,
  userId,
  idleRefreshMs: 60_000,
  resolveManualDial: () => resolveManualDial(dataClient, userId, navigator.languages ?? [], logger),
  channel: openPanelChannel(),
});
if (!xrm) console.error("EmergencySolution panel: the Dataverse client API (Xrm) was not found");
void panel.refresh();

publish("Panel", {
  startEmergencyCall: (dialedNumber: string, countryCode: string, options?: StartEmergencyCallOptions) =>
    panel.startEmergencyCall(dialedNumber, countryCode, options),
  startManually: () => panel.startManually(),
  endCall: () => panel.endCall(),
  refresh: () => panel.refresh(),
  getState: () => panel.getState(),
});
