// Web resource emc_/panel/emergency_panel.js, loaded by emc_/panel/emergency_panel.html (relative url) in the app's
// side pane. The dialer calls EmergencySolution.Panel.startEmergencyCall(dialedNumber, countryCode, options?).
import { publish } from "../shared/namespace";
import type { DataClient } from "../shared/dataClient";
import type { CiFrameworkLike, StartEmergencyCallOptions } from "./emergencyCallClient";
import { createEmergencyPanel } from "./emergencyPanel";

interface HostWindow {
  Xrm?: {
    WebApi?: unknown;
    Utility?: { getGlobalContext?: () => { userSettings?: { userId?: string } } };
  };
  Microsoft?: { CIFramework?: CiFrameworkLike };
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

function findCiFramework(): CiFrameworkLike | null {
  return (
    hostWindows()
      .map((host) => host.Microsoft?.CIFramework)
      .find((cif) => typeof cif?.setPresence === "function") ?? null
  );
}

/** sessionStorage survives a reload of the pane; a sandboxed frame may refuse it, and the panel then keeps it in memory. */
function findSessionStorage(): Storage | null {
  try {
    return window.sessionStorage ?? null;
  } catch {
    return null;
  }
}

const xrm = findXrm();
const root = document.getElementById("emc-panel-root") ?? document.body;
const panel = createEmergencyPanel({
  root,
  dataClient: (xrm?.WebApi as DataClient | undefined) ?? null,
  userId: xrm?.Utility?.getGlobalContext?.().userSettings?.userId ?? null,
  ciFramework: findCiFramework(),
  idleRefreshMs: 60_000,
  startMarkerStorage: findSessionStorage(),
});
if (!xrm) console.error("EmergencySolution panel: the Dataverse client API (Xrm) was not found");
void panel.refresh();

publish("Panel", {
  startEmergencyCall: (dialedNumber: string, countryCode: string, options?: StartEmergencyCallOptions) =>
    panel.startEmergencyCall(dialedNumber, countryCode, options),
  endCall: () => panel.endCall(),
  refresh: () => panel.refresh(),
  getState: () => panel.getState(),
});
