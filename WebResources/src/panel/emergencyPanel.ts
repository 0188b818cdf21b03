import { describeError, type DataClient } from "../shared/dataClient";
import type { ManualDial } from "./manualDial";
import { newGuid } from "../shared/guid";
import { consoleLogger, redactPhoneNumbers, type Logger } from "../shared/logging";
import { isPanelMessage, type PanelChannel, type PanelMessage } from "../shared/panelChannel";
import { browserRetryDependencies, type RetryDependencies } from "../shared/retry";
import {
  endEmergencyCall,
  findActiveEmergencyCall,
  startEmergencyCallWithRetry,
  type StartEmergencyCallOptions,
} from "./emergencyCallClient";
import {
  activeCallFound,
  describeCallback,
  describeNotificationStatus,
  endFailed,
  endRequested,
  endSucceeded,
  formatCountdown,
  initialState,
  placeholderCall,
  startFailed,
  startRequested,
  startSucceeded,
  type EmergencyCall,
  type PanelState,
} from "./panelState";

export interface PanelDependencies {
  readonly root: HTMLElement;
  /** Null outside Dataverse: the panel then still shows emergency mode, it just cannot record anything. */
  readonly dataClient: DataClient | null;
  readonly userId: string | null;
  readonly now?: () => Date;
  /** Every line is redacted again here, so an injected logger cannot receive a phone number either. */
  readonly logger?: Logger;
  /** How often an idle panel looks for a call started elsewhere (0 = never). */
  readonly idleRefreshMs?: number;
  /** Backoff and jitter for Start's retries (the browser's clock and Math.random unless a test fixes them). */
  readonly retry?: RetryDependencies;
  /** A new idempotency key (a Guid) for a dial that has none: crypto.randomUUID in the browser. */
  readonly newIdempotencyKey?: () => string;
  /** A manual start ("I am on an emergency call"): the agent's country's emergency number and open outbound voice conversation. */
  readonly resolveManualDial?: () => Promise<ManualDial>;
  /** Where the client watcher announces the calls it starts (null: the panel relies on its look-ups alone). */
  readonly channel?: PanelChannel | null;
}

export interface StartOutcome {
  readonly registered: boolean;
  readonly emergencyCallId: string | null;
  readonly error: string | null;
}

export interface EmergencyPanel {
  startEmergencyCall(dialedNumber: string, countryCode: string, options?: StartEmergencyCallOptions): Promise<StartOutcome>;
  /** "I am on an emergency call": the agent starts the call by hand when nothing else did. */
  startManually(): Promise<StartOutcome>;
  endCall(): Promise<void>;
  refresh(): Promise<void>;
  getState(): PanelState;
  dispose(): void;
}

interface EmergencyView {
  readonly section: HTMLElement;
  readonly callbackLabel: HTMLElement;
  readonly callbackNumber: HTMLElement;
  readonly callbackExplanation: HTMLElement;
  readonly callbackDetails: HTMLElement;
  readonly countdownLabel: HTMLElement;
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
  const { root, dataClient, userId } = dependencies;
  const retry = dependencies.retry ?? browserRetryDependencies;
  const newIdempotencyKey = dependencies.newIdempotencyKey ?? newGuid;
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
  // One key per emergency call on this panel, made when the panel leaves idle and kept until the call ends, so every
  // retry and a second press of the manual start name the same call.
  let idempotencyKey: string | null = null;

  const idleSection = element(document, "section", { class: "idle", "aria-labelledby": "emc-idle-heading" });
  const idleHeading = element(document, "h1", { id: "emc-idle-heading", class: "idle-heading" }, "Emergency calling");
  const idleMessage = element(document, "p", { class: "idle-message", tabindex: "-1" }, "No emergency call in progress.");
  const idleError = element(document, "p", { class: "error", role: "status" });
  const manualStart = element(document, "button", { type: "button", class: "manual-start" }, "I am on an emergency call");
  const manualHint = element(
    document,
    "p",
    { class: "manual-hint" },
    "Press this if you are on an emergency call and this panel did not switch to it by itself.",
  );
  idleSection.append(idleHeading, idleMessage, idleError, manualStart, manualHint);
  manualStart.addEventListener("click", () => void panel.startManually());
  root.replaceChildren(idleSection);

  function buildEmergencyView(): EmergencyView {
    const section = element(document, "section", { class: "emergency", "aria-label": "Emergency call" });
    const alert = element(document, "div", { class: "alert", role: "alert" });
    const callback = element(document, "dl", { class: "callback" });
    const callbackLabel = element(document, "dt", { class: "callback-label" });
    const callbackNumber = element(document, "dd", { class: "callback-number" });
    const countdownLabel = element(document, "dt", { class: "countdown-label" }, "Callback window ends in");
    const countdown = element(document, "dd", { class: "countdown", role: "timer", "aria-atomic": "true" });
    callback.append(callbackLabel, callbackNumber, countdownLabel, countdown);
    const callbackExplanation = element(document, "p", { class: "callback-explanation" });
    const callbackDetails = element(document, "p", { class: "callback-details" });
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
    section.append(alert, callback, callbackExplanation, callbackDetails, status, warnings, error, controls, devicePanel);
    idleSection.hidden = true;
    root.append(section);
    // Set after insertion so assistive technology announces the alert as it appears.
    alert.textContent = "Emergency call in progress";

    deviceSettings.addEventListener("click", () => void toggleDeviceSettings());
    endCall.addEventListener("click", () => void panel.endCall());
    return {
      section,
      callbackLabel,
      callbackNumber,
      callbackExplanation,
      callbackDetails,
      countdownLabel,
      countdown,
      status,
      warnings,
      error,
      deviceSettings,
      devicePanel,
      endCall,
    };
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
    emergencyView.countdown.textContent = remaining ?? "";
    emergencyView.countdown.hidden = remaining === null;
    emergencyView.countdownLabel.hidden = remaining === null;
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
    // Never a number the responder may not have: describeCallback gives one only on the pool path.
    const callback = describeCallback(call, pending);
    emergencyView.callbackLabel.textContent = callback.label;
    emergencyView.callbackNumber.textContent = callback.number ?? "None shown";
    emergencyView.callbackExplanation.textContent = callback.explanation;
    emergencyView.callbackDetails.textContent = callback.details ?? "";
    emergencyView.callbackDetails.hidden = callback.details === null;
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

  /** The key of the call this panel is on, made once per call. */
  function currentIdempotencyKey(): string {
    idempotencyKey ??= newIdempotencyKey();
    return idempotencyKey;
  }

  const waitingForAnnouncedCall = (): boolean =>
    state.mode === "emergency" && state.pending === "starting" && state.call.emergencyCallId === null;

  /**
   * The watcher registered a call: read it (with its callback path). If the look-up cannot find or read it, the panel
   * still holds the call by the id the watcher announced, with nothing said about a callback number (path unknown), so
   * End call works and no number the responder may not have is shown.
   */
  async function lookUpStartedCall(emergencyCallId: string | null): Promise<void> {
    let call: EmergencyCall | null = null;
    if (dataClient !== null && userId !== null) {
      try {
        call = await findActiveEmergencyCall(dataClient, userId);
      } catch (error) {
        logger.error(`could not look up the emergency call the watcher started: ${describeError(error)}`);
      }
    }
    if (state.mode !== "idle" && !waitingForAnnouncedCall()) return;
    if (call !== null) setState(activeCallFound(call));
    else if (emergencyCallId !== null) setState(startSucceeded({ ...placeholderCall(""), emergencyCallId }));
  }

  /** The client watcher's announcements: show the call at once, then read it (with its callback path) from Dataverse. */
  function onChannelMessage(message: PanelMessage): void {
    if (message.type === "call-starting") {
      if (state.mode === "idle") setState(startRequested(""));
    } else if (message.type === "call-registered") {
      void lookUpStartedCall(message.emergencyCallId);
    } else if (waitingForAnnouncedCall()) {
      setState(startFailed(state, message.error));
    }
  }
  dependencies.channel?.addEventListener("message", (event) => {
    if (isPanelMessage(event.data)) onChannelMessage(event.data);
  });

  const panel: EmergencyPanel = {
    async startEmergencyCall(dialedNumber, countryCode, options = {}) {
      if (state.mode === "emergency" && state.pending !== null) {
        if (state.pending === "ending") return { registered: false, emergencyCallId: null, error: "the call is being ended" };
      }
      if (state.mode !== "emergency" || state.pending !== "starting") setState(startRequested(countryCode));
      if (dataClient === null) {
        const message = "the Dataverse client API is not available";
        logger.error(`emc_StartEmergencyCall not executed: ${message}`);
        setState(startFailed(state, message));
        return { registered: false, emergencyCallId: null, error: message };
      }
      const key = options.idempotencyKey ?? currentIdempotencyKey();
      idempotencyKey = key;
      try {
        const call = await startEmergencyCallWithRetry(
          dataClient,
          dialedNumber,
          countryCode,
          { ...options, idempotencyKey: key },
          retry,
          (error, attempt, delayMs) =>
            logger.error(`emc_StartEmergencyCall attempt ${attempt} failed (${describeError(error)}); trying again in ${delayMs} ms`),
        );
        setState(startSucceeded(call));
        logger.info(`emergency call ${call.emergencyCallId ?? "(no id)"} registered`);
        return { registered: true, emergencyCallId: call.emergencyCallId, error: null };
      } catch (error) {
        const message = describeError(error);
        logger.error(`emc_StartEmergencyCall failed: ${message}`);
        setState(startFailed(state, message));
        return { registered: false, emergencyCallId: null, error: message };
      }
    },

    async startManually() {
      if (state.mode === "emergency" && state.pending !== null)
        return { registered: false, emergencyCallId: null, error: "a request is running" };
      setState(startRequested(""));
      let dial: ManualDial;
      try {
        if (!dependencies.resolveManualDial) throw new Error("the panel cannot tell the agent's emergency number");
        dial = await dependencies.resolveManualDial();
      } catch (error) {
        const message = describeError(error);
        logger.error(`manual start: ${message}`);
        setState(startFailed(state, message));
        return { registered: false, emergencyCallId: null, error: message };
      }
      // Keyed by the agent's open outbound voice conversation when there is one, as the watcher and the server trigger are.
      const options =
        dial.conversationId !== null
          ? { conversationId: dial.conversationId, idempotencyKey: dial.conversationId }
          : { idempotencyKey: currentIdempotencyKey() };
      return panel.startEmergencyCall(dial.dialedNumber, dial.countryCode, options);
    },

    async endCall() {
      if (state.mode !== "emergency" || state.pending !== null) return;
      const emergencyCallId = state.call.emergencyCallId;
      setState(endRequested(state));
      if (emergencyCallId === null || dataClient === null) {
        // Nothing was recorded for this call, so there is nothing to end on the server.
        idempotencyKey = null;
        setState(endSucceeded());
        return;
      }
      try {
        await endEmergencyCall(dataClient, emergencyCallId);
      } catch (error) {
        const message = describeError(error);
        logger.error(`emc_EndEmergencyCall failed for ${emergencyCallId}: ${message}`);
        setState(endFailed(state, message));
        return;
      }
      idempotencyKey = null;
      setState(endSucceeded());
    },

    async refresh() {
      if (state.mode !== "idle" || dataClient === null || userId === null) return;
      try {
        const call = await findActiveEmergencyCall(dataClient, userId);
        if (call !== null && state.mode === "idle") setState(activeCallFound(call));
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
