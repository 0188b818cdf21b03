/**
 * The agent panel's state, as plain data and pure functions (no DOM, no clock, no platform), so the unit tests can
 * walk every transition. emergencyPanel.ts renders it and feeds it events.
 */

export const NotificationStatus = {
  NotConfigured: 410750000,
  Queued: 410750001,
  Sent: 410750002,
  Failed: 410750003,
} as const;

export interface EmergencyCall {
  /** Null until emc_StartEmergencyCall has answered (or when it failed: the call goes on without a record). */
  readonly emergencyCallId: string | null;
  readonly callbackNumber: string | null;
  readonly callbackExpiresOn: Date | null;
  readonly countryCode: string | null;
  readonly notificationStatus: number | null;
  readonly warnings: readonly string[];
}

export type PanelState =
  | { readonly mode: "idle"; readonly message: string | null; readonly error: string | null }
  | {
      readonly mode: "emergency";
      readonly call: EmergencyCall;
      /** "starting" while emc_StartEmergencyCall runs, "ending" while emc_EndEmergencyCall runs. */
      readonly pending: "starting" | "ending" | null;
      readonly error: string | null;
    };

export const initialState: PanelState = { mode: "idle", message: null, error: null };

function asString(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

function asDate(value: unknown): Date | null {
  if (typeof value !== "string" && !(value instanceof Date)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An emc_emergencycall row as the active-call lookup returns it (callback number through the expanded lookup). */
export function callFromActiveRecord(record: Record<string, unknown>): EmergencyCall {
  const callbackNumberRow = record["emc_callbacknumberid"] as Record<string, unknown> | null | undefined;
  return {
    emergencyCallId: asString(record["emc_emergencycallid"]),
    callbackNumber: asString(callbackNumberRow?.["emc_number"]),
    callbackExpiresOn: asDate(record["emc_callbackexpireson"]),
    countryCode: asString(record["emc_countrycode"]),
    notificationStatus: null,
    warnings: [],
  };
}

/** The output properties of emc_StartEmergencyCall. */
export function callFromStartResponse(body: Record<string, unknown>, countryCode: string): EmergencyCall {
  const warnings = Array.isArray(body["Warnings"]) ? body["Warnings"].filter((w): w is string => typeof w === "string") : [];
  const status = body["NotificationStatus"];
  return {
    emergencyCallId: asString(body["EmergencyCallId"]),
    callbackNumber: asString(body["CallbackNumber"]),
    callbackExpiresOn: asDate(body["CallbackExpiresOn"]),
    countryCode,
    notificationStatus: typeof status === "number" ? status : null,
    warnings,
  };
}

export const placeholderCall = (countryCode: string): EmergencyCall => ({
  emergencyCallId: null,
  callbackNumber: null,
  callbackExpiresOn: null,
  countryCode,
  notificationStatus: null,
  warnings: [],
});

export const startRequested = (countryCode: string): PanelState => ({
  mode: "emergency",
  call: placeholderCall(countryCode),
  pending: "starting",
  error: null,
});

export const startSucceeded = (call: EmergencyCall): PanelState => ({ mode: "emergency", call, pending: null, error: null });

/** The call goes on whatever the server said: the panel stays in emergency mode and shows why there is no record. */
export function startFailed(state: PanelState, error: string): PanelState {
  const call = state.mode === "emergency" ? state.call : placeholderCall("");
  return {
    mode: "emergency",
    call,
    pending: null,
    error: `The emergency call could not be registered (${error}). The call continues; no callback number was leased.`,
  };
}

export const activeCallFound = (call: EmergencyCall): PanelState => ({ mode: "emergency", call, pending: null, error: null });

/**
 * A presence problem after the start, shown beside the call without leaving emergency mode. Only for the call it is
 * about: if that call has ended meanwhile, the note is dropped.
 */
export function presenceNoteAdded(state: PanelState, emergencyCallId: string | null, note: string): PanelState {
  return state.mode === "emergency" && state.call.emergencyCallId === emergencyCallId ? { ...state, error: note } : state;
}

export function endRequested(state: PanelState): PanelState {
  return state.mode === "emergency" ? { ...state, pending: "ending", error: null } : state;
}

/** Ending succeeded; a presence that could not be restored is reported, the call is over either way. */
export function endSucceeded(presenceNote: string | null): PanelState {
  return { mode: "idle", message: "The emergency call has ended.", error: presenceNote };
}

export function endFailed(state: PanelState, error: string): PanelState {
  return state.mode === "emergency"
    ? { ...state, pending: null, error: `The emergency call could not be ended (${error}). Try End call again.` }
    : state;
}

/** Time left on the callback lease as m:ss (up to 60:00) or h:mm:ss; "expired" once it has run out, null when unknown. */
export function formatCountdown(expiresOn: Date | null, now: Date): string | null {
  if (expiresOn === null) return null;
  const totalSeconds = Math.ceil((expiresOn.getTime() - now.getTime()) / 1000);
  if (totalSeconds <= 0) return "expired";
  const two = (value: number): string => String(value).padStart(2, "0");
  const seconds = totalSeconds % 60;
  // A full lease reads "60:00" rather than "1:00:00"; only longer leases show hours.
  if (totalSeconds <= 3600) return `${Math.floor(totalSeconds / 60)}:${two(seconds)}`;
  const hours = Math.floor(totalSeconds / 3600);
  return `${hours}:${two(Math.floor((totalSeconds % 3600) / 60))}:${two(seconds)}`;
}

export function describeNotificationStatus(status: number | null): string | null {
  switch (status) {
    case NotificationStatus.NotConfigured:
      return "No notification recipients are configured.";
    case NotificationStatus.Queued:
      return "Notification email queued.";
    case NotificationStatus.Sent:
      return "Notification email sent.";
    case NotificationStatus.Failed:
      return "The notification email could not be sent.";
    default:
      return null;
  }
}
