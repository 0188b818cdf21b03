import { describeError, type DataClient } from "../shared/dataClient";
import { consoleLogger, redactPhoneNumbers, type Logger } from "../shared/logging";
import {
  applyRestoredPresence,
  endEmergencyCall,
  findActiveEmergencyCall,
  startEmergencyCall,
  type CiFrameworkLike,
  type StartEmergencyCallOptions,
} from "./emergencyCallClient";
import {
  activeCallFound,
  describeNotificationStatus,
  endFailed,
  endRequested,
  endSucceeded,
  formatCountdown,
  initialState,
  presenceNoteAdded,
  startFailed,
  startRequested,
  startSucceeded,
  type PanelState,
} from "./panelState";
import { createStartMarker, switchToDoNotDisturbAfterStart, type StartMarkerStorage } from "./startPresence";

export interface PanelDependencies {
  readonly root: HTMLElement;
  /** Null outside Dataverse: the panel then still shows emergency mode, it just cannot record anything. */
  readonly dataClient: DataClient | null;
  readonly userId: string | null;
  readonly ciFramework: CiFrameworkLike | null;
  readonly now?: () => Date;
  /** Every line is redacted again here, so an injected logger cannot receive a phone number either. */
  readonly logger?: Logger;
  /** How often an idle panel looks for a call started elsewhere (0 = never). */
  readonly idleRefreshMs?: number;
  /** Where the panel notes a start in flight, so a reloaded pane knows the call it finds was started here (sessionStorage). */
  readonly startMarkerStorage?: StartMarkerStorage | null;
}

export interface StartOutcome {
  readonly registered: boolean;
  readonly emergencyCallId: string | null;
  readonly error: string | null;
}

export interface EmergencyPanel {
  startEmergencyCall(dialedNumber: string, countryCode: string, options?: StartEmergencyCallOptions): Promise<StartOutcome>;
  endCall(): Promise<void>;
  refresh(): Promise<void>;
  getState(): PanelState;
  dispose(): void;
}

interface EmergencyView {
  readonly section: HTMLElement;
  readonly callbackNumber: HTMLElement;
  readonly countdown: HTMLElement;
  readonly status: HTMLElement;
  readonly warnings: HTMLUListElement;
  readonly error: HTMLElement;
  readonly deviceSettings: HTMLButtonElement;
  readonly devicePanel: HTMLElement;
  readonly endCall: HTMLButtonElement;
}

function element<K extends keyof HTMLElementTagNameMap>(
  document: Document,
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  if (text !== undefined) created.textContent = text;
  return created;
}

/**
 * The agent's emergency panel. Everything it needs comes in through `dependencies`; the entry point wires the page.
 * Nothing here ever throws at the caller: an emergency call is never blocked by the panel, failures are shown and logged
 * (without phone numbers, which must not reach any log).
 */
export function createEmergencyPanel(dependencies: PanelDependencies): EmergencyPanel {
  const { root, dataClient, userId, ciFramework } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const sink = dependencies.logger ?? consoleLogger("EmergencySolution panel");
  const logger: Logger = {
    error: (message) => sink.error(redactPhoneNumbers(message)),
    info: (message) => sink.info(redactPhoneNumbers(message)),
  };
  const document = root.ownerDocument;
  const window = document.defaultView;

  let state: PanelState = initialState;
  let emergencyView: EmergencyView | null = null;
  let countdownTimer: ReturnType<typeof setInterval> | null = null;
  let idleTimer: ReturnType<typeof setInterval> | null = null;
  const startMarker = createStartMarker(dependencies.startMarkerStorage ?? null, now);
  // The Do not disturb switch after a start; End waits for it, so a late DND can never land after End's restore.
  let startPresenceSwitch: Promise<void> = Promise.resolve();

  const idleSection = element(document, "section", { class: "idle", "aria-labelledby": "emc-idle-heading" });
  const idleHeading = element(document, "h1", { id: "emc-idle-heading", class: "idle-heading" }, "Emergency calling");
  const idleMessage = element(document, "p", { class: "idle-message", tabindex: "-1" }, "No emergency call in progress.");
  const idleError = element(document, "p", { class: "error", role: "status" });
  idleSection.append(idleHeading, idleMessage, idleError);
  root.replaceChildren(idleSection);

  function buildEmergencyView(): EmergencyView {
    const section = element(document, "section", { class: "emergency", "aria-label": "Emergency call" });
    const alert = element(document, "div", { class: "alert", role: "alert" });
    const callback = element(document, "dl", { class: "callback" });
    const callbackNumber = element(document, "dd", { class: "callback-number" });
    const countdown = element(document, "dd", { class: "countdown", role: "timer", "aria-atomic": "true" });
    callback.append(
      element(document, "dt", {}, "Callback number"),
      callbackNumber,
      element(document, "dt", {}, "Callback number expires in"),
      countdown,
    );
    const status = element(document, "p", { class: "status", role: "status" });
    const warnings = element(document, "ul", { class: "warnings", "aria-label": "Warnings" });
    const error = element(document, "p", { class: "error", role: "status" });
    const controls = element(document, "div", { class: "controls" });
    const deviceSettings = element(
      document,
      "button",
      { type: "button", class: "device-settings", "aria-expanded": "false", "aria-controls": "emc-device-panel" },
      "Device settings",
    );
    const endCall = element(document, "button", { type: "button", class: "end-call" }, "End call");
    controls.append(deviceSettings, endCall);
    const devicePanel = element(document, "div", { id: "emc-device-panel", class: "device-panel", hidden: "" });
    section.append(alert, callback, status, warnings, error, controls, devicePanel);
    idleSection.hidden = true;
    root.append(section);
    // Set after insertion so assistive technology announces the alert as it appears.
    alert.textContent = "Emergency call in progress";

    deviceSettings.addEventListener("click", () => void toggleDeviceSettings());
    endCall.addEventListener("click", () => void panel.endCall());
    return { section, callbackNumber, countdown, status, warnings, error, deviceSettings, devicePanel, endCall };
  }

  async function toggleDeviceSettings(): Promise<void> {
    if (emergencyView === null) return;
    const { deviceSettings, devicePanel } = emergencyView;
    const expand = deviceSettings.getAttribute("aria-expanded") !== "true";
    deviceSettings.setAttribute("aria-expanded", String(expand));
    devicePanel.hidden = !expand;
    // The voice channel owns device selection; the panel tells the host app and lists what the browser sees.
    window?.dispatchEvent(new CustomEvent("emc:device-settings", { detail: { expanded: expand } }));
    if (!expand) return;
    devicePanel.replaceChildren(element(document, "p", {}, "Looking for audio devices…"));
    let devices: MediaDeviceInfo[] = [];
    try {
      devices = (await window?.navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    } catch (error) {
      logger.error(`could not list audio devices: ${describeError(error)}`);
    }
    const audio = devices.filter((device) => device.kind === "audioinput" || device.kind === "audiooutput");
    if (audio.length === 0) {
      devicePanel.replaceChildren(
        element(
          document,
          "p",
          {},
          "No audio devices are visible to this page. Use the voice channel's device settings to pick a microphone and speaker.",
        ),
      );
      return;
    }
    const list = element(document, "ul", { "aria-label": "Audio devices" });
    for (const device of audio) {
      const kind = device.kind === "audioinput" ? "Microphone" : "Speaker";
      list.append(element(document, "li", {}, `${kind}: ${device.label || "(name hidden until microphone access is allowed)"}`));
    }
    devicePanel.replaceChildren(list);
  }

  function renderCountdown(): void {
    if (emergencyView === null || state.mode !== "emergency") return;
    const remaining = formatCountdown(state.call.callbackExpiresOn, now());
    emergencyView.countdown.textContent = remaining ?? "—";
  }

  function stopTimer(timer: ReturnType<typeof setInterval> | null): null {
    if (timer !== null) clearInterval(timer);
    return null;
  }

  function render(): void {
    if (state.mode === "idle") {
      countdownTimer = stopTimer(countdownTimer);
      const wasInEmergency = emergencyView !== null;
      emergencyView?.section.remove();
      emergencyView = null;
      idleSection.hidden = false;
      idleMessage.textContent = state.message ?? "No emergency call in progress.";
      idleError.textContent = state.error ?? "";
      // Keyboard users were on End call, which is gone: put them on the outcome.
      if (wasInEmergency) idleMessage.focus();
      if (idleTimer === null && (dependencies.idleRefreshMs ?? 0) > 0) {
        // A backstop for calls started outside this panel; a hidden pane does not poll, to spare round trips.
        idleTimer = setInterval(() => {
          if (!document.hidden) void panel.refresh();
        }, dependencies.idleRefreshMs);
      }
      return;
    }

    idleTimer = stopTimer(idleTimer);
    emergencyView ??= buildEmergencyView();
    const { call, pending, error } = state;
    emergencyView.callbackNumber.textContent =
      call.callbackNumber ?? (pending === "starting" ? "Leasing a callback number…" : "No callback number");
    emergencyView.status.textContent =
      pending === "starting"
        ? "Registering the emergency call…"
        : pending === "ending"
          ? "Ending the emergency call…"
          : (describeNotificationStatus(call.notificationStatus) ?? "");
    emergencyView.warnings.replaceChildren(...call.warnings.map((warning) => element(document, "li", {}, warning)));
    emergencyView.warnings.hidden = call.warnings.length === 0;
    emergencyView.error.textContent = error ?? "";
    // aria-disabled keeps the button focusable and visible while a request is running; clicks are ignored meanwhile.
    emergencyView.endCall.setAttribute("aria-disabled", String(pending !== null));
    renderCountdown();
    countdownTimer ??= setInterval(renderCountdown, 1000);
  }

  function setState(next: PanelState): void {
    state = next;
    render();
  }

  /** Only right after a start from this panel: a later poll never overrides a presence the agent chose. */
  function switchPresenceAfterStart(client: DataClient, emergencyCallId: string | null): void {
    startPresenceSwitch = switchToDoNotDisturbAfterStart(client, ciFramework, logger, emergencyCallId).then((note) => {
      if (note !== null) setState(presenceNoteAdded(state, emergencyCallId, note));
    });
  }

  const panel: EmergencyPanel = {
    async startEmergencyCall(dialedNumber, countryCode, options = {}) {
      setState(startRequested(countryCode));
      if (dataClient === null) {
        const message = "the Dataverse client API is not available";
        logger.error(`emc_StartEmergencyCall not executed: ${message}`);
        setState(startFailed(state, message));
        return { registered: false, emergencyCallId: null, error: message };
      }
      startMarker.markInFlight();
      try {
        const call = await startEmergencyCall(dataClient, dialedNumber, countryCode, options);
        startMarker.clear();
        setState(startSucceeded(call));
        logger.info(`emergency call ${call.emergencyCallId ?? "(no id)"} registered`);
        // Not awaited: the dialer gets its answer at once; the switch reports its own failure as a note.
        switchPresenceAfterStart(dataClient, call.emergencyCallId);
        return { registered: true, emergencyCallId: call.emergencyCallId, error: null };
      } catch (error) {
        startMarker.clear();
        const message = describeError(error);
        logger.error(`emc_StartEmergencyCall failed: ${message}`);
        setState(startFailed(state, message));
        return { registered: false, emergencyCallId: null, error: message };
      }
    },

    async endCall() {
      if (state.mode !== "emergency" || state.pending !== null) return;
      const emergencyCallId = state.call.emergencyCallId;
      setState(endRequested(state));
      startMarker.clear();
      await startPresenceSwitch;
      if (emergencyCallId === null || dataClient === null) {
        // Nothing was recorded for this call, so there is nothing to end on the server.
        setState(endSucceeded(null));
        return;
      }
      let restoredPresenceId: string | null;
      try {
        restoredPresenceId = await endEmergencyCall(dataClient, emergencyCallId);
      } catch (error) {
        const message = describeError(error);
        logger.error(`emc_EndEmergencyCall failed for ${emergencyCallId}: ${message}`);
        setState(endFailed(state, message));
        return;
      }
      let presenceNote: string | null = null;
      if (restoredPresenceId !== null) {
        try {
          const applied = await applyRestoredPresence(dataClient, ciFramework, restoredPresenceId);
          if (applied === null) logger.info("presence restored on the server; no channel integration to apply it to");
        } catch (error) {
          const message = describeError(error);
          logger.error(`could not apply the restored presence ${restoredPresenceId}: ${message}`);
          presenceNote = `Your previous presence could not be restored (${message}). Please set it yourself.`;
        }
      }
      setState(endSucceeded(presenceNote));
    },

    async refresh() {
      if (state.mode !== "idle" || dataClient === null || userId === null) return;
      try {
        const call = await findActiveEmergencyCall(dataClient, userId);
        if (call !== null && state.mode === "idle") {
          setState(activeCallFound(call));
          // Found right after this panel's own start (the pane reloaded while Start was in flight): switch once.
          if (startMarker.takeIfFresh()) switchPresenceAfterStart(dataClient, call.emergencyCallId);
        }
      } catch (error) {
        const message = describeError(error);
        logger.error(`could not look for an active emergency call: ${message}`);
        setState({ mode: "idle", message: state.message, error: `Could not check for an active emergency call (${message}).` });
      }
    },

    getState: () => state,

    dispose() {
      countdownTimer = stopTimer(countdownTimer);
      idleTimer = stopTimer(idleTimer);
    },
  };

  render();
  return panel;
}
