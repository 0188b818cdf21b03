/**
 * The agent panel's state, as plain data and pure functions (no DOM, no clock, no platform), so the unit tests can
 * walk every transition. emergencyPanel.ts renders it and feeds it events.
 */

export const NotificationStatus = {
  NotConfigured: 410750000,
  Queued: 410750001,
  Sent: 410750002,
  Failed: 410750003,
  /** Contact Center's built-in emergency feature sends its own email on this path, so the solution sends none. */
  LeftToThePlatform: 410750004,
} as const;

/**
 * Which way the responder's callback comes, as emc_StartEmergencyCall's output CallbackPath says:
 * - "Microsoft": a calling-plan or direct-offer number; Microsoft gives the call a temporary number of its own, keeps it
 *   about 60 minutes and routes the callback straight to the agent. No pool number is leased or shown.
 * - "Pool": direct routing (or a carrier the admin says presents pool numbers); the leased pool number is the caller id
 *   the responder sees, and the callback router takes the callback.
 * - "Unknown": the route is not known; nothing is leased, and the panel says what is and is not known.
 */
export type CallbackPath = "Microsoft" | "Pool" | "Unknown";

/** emc_emergencycall.emc_originpath, the origin path the server recorded for the call. */
export const OriginPath = { CallingPlan: 410750000, DirectOffer: 410750001, DirectRouting: 410750002, Unknown: 410750003 } as const;

export interface EmergencyCall {
  /** Null until emc_StartEmergencyCall has answered (or when it failed: the call goes on without a record). */
  readonly emergencyCallId: string | null;
  readonly callbackPath: CallbackPath;
  /** Only ever set on the "Pool" path: on any other path the responder does not have a pool number. */
  readonly callbackNumber: string | null;
  readonly callbackExpiresOn: Date | null;
  /** The server's plain-words statement of the callback on this path (never a number), shown as it is. */
  readonly callbackDetails: string | null;
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

/** The path named by Start's CallbackPath output; anything else (an older server included) is "Unknown". */
export function callbackPathFromOutput(value: unknown): CallbackPath {
  return value === "Microsoft" || value === "Pool" ? value : "Unknown";
}

/**
 * The path of a call row: a Microsoft number (calling plan, direct offer) is "Microsoft"; direct routing is "Pool"; an
 * unknown origin is "Pool" only when the server leased a number for it (the admin said the carrier presents pool
 * numbers), otherwise "Unknown"; a row without an origin path is "Unknown".
 */
export function callbackPathFromRecord(originPath: unknown, hasLeasedNumber: boolean): CallbackPath {
  switch (originPath) {
    case OriginPath.CallingPlan:
    case OriginPath.DirectOffer:
      return "Microsoft";
    case OriginPath.DirectRouting:
      return "Pool";
    case OriginPath.Unknown:
      return hasLeasedNumber ? "Pool" : "Unknown";
    default:
      return "Unknown";
  }
}

/** An emc_emergencycall row as the active-call lookup returns it (callback number through the expanded lookup). */
export function callFromActiveRecord(record: Record<string, unknown>): EmergencyCall {
  const callbackNumberRow = record["emc_callbacknumberid"] as Record<string, unknown> | null | undefined;
  const leasedNumber = asString(callbackNumberRow?.["emc_number"]);
  const callbackPath = callbackPathFromRecord(record["emc_originpath"], leasedNumber !== null);
  return {
    emergencyCallId: asString(record["emc_emergencycallid"]),
    callbackPath,
    callbackNumber: callbackPath === "Pool" ? leasedNumber : null,
    callbackExpiresOn: asDate(record["emc_callbackexpireson"]),
    callbackDetails: asString(record["emc_callbackdetails"]),
    countryCode: asString(record["emc_countrycode"]),
    notificationStatus: null,
    warnings: [],
  };
}

/** The output properties of emc_StartEmergencyCall. */
export function callFromStartResponse(body: Record<string, unknown>, countryCode: string): EmergencyCall {
  const warnings = Array.isArray(body["Warnings"]) ? body["Warnings"].filter((w): w is string => typeof w === "string") : [];
  const status = body["NotificationStatus"];
  const callbackPath = callbackPathFromOutput(body["CallbackPath"]);
  return {
    emergencyCallId: asString(body["EmergencyCallId"]),
    callbackPath,
    callbackNumber: callbackPath === "Pool" ? asString(body["CallbackNumber"]) : null,
    callbackExpiresOn: asDate(body["CallbackExpiresOn"]),
    callbackDetails: asString(body["CallbackDetails"]),
    countryCode,
    notificationStatus: typeof status === "number" ? status : null,
    warnings,
  };
}

export const placeholderCall = (countryCode: string): EmergencyCall => ({
  emergencyCallId: null,
  callbackPath: "Unknown",
  callbackNumber: null,
  callbackExpiresOn: null,
  callbackDetails: null,
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
    error: `The emergency call could not be registered (${error}). The call continues; no callback number is known for it.`,
  };
}

export const activeCallFound = (call: EmergencyCall): PanelState => ({ mode: "emergency", call, pending: null, error: null });

export function endRequested(state: PanelState): PanelState {
  return state.mode === "emergency" ? { ...state, pending: "ending", error: null } : state;
}

/** Ending succeeded: the server restores the agent's presence (after the agent's last emergency call). */
export function endSucceeded(): PanelState {
  return { mode: "idle", message: "The emergency call has ended.", error: null };
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
    case NotificationStatus.LeftToThePlatform:
      return "The notification email is sent by Contact Center's built-in emergency calling.";
    default:
      return null;
  }
}

/** What the panel says about the callback: the number only on the pool path, plain words on every path. */
export interface CallbackPresentation {
  /** The heading of the callback block. */
  readonly label: string;
  /** The callback number to show, or null: never a number the responder may not have. */
  readonly number: string | null;
  /** What the agent should know about the callback on this path. */
  readonly explanation: string;
  /** The server's own statement for this call, when it gave one and it holds no number. */
  readonly details: string | null;
}

export const MICROSOFT_CALLBACK_TEXT =
  "No callback number is shown for this call. The responder's callback comes on a temporary number that Microsoft " +
  "assigns to this call, and it is routed straight to you for about 60 minutes. An admin can read that number back " +
  "by calling the test number 933.";

export const UNKNOWN_CALLBACK_TEXT =
  "No callback number is shown: it is not known which route this call took, so it is not known which number the " +
  "responder sees or whether a callback reaches you. If the call drops, tell the responder how to reach you when they answer.";

export const POOL_CALLBACK_TEXT = "The responder sees this number as your caller id; a callback to it is routed to you until it expires.";

export const POOL_NO_NUMBER_TEXT =
  "No callback number could be leased for this call, so none is shown. If the call drops, a callback may not reach you.";

/** A run of 7 or more digits (with separators) is a dialable number; anything shorter ("933", "60") is not. */
function holdsDialableNumber(text: string): boolean {
  let digits = 0;
  for (let index = 0; index < text.length; index++) {
    const character = text.charAt(index);
    if (character >= "0" && character <= "9") {
      digits++;
      if (digits >= 7) return true;
    } else if (!" ()+.-".includes(character)) {
      digits = 0;
    }
  }
  return false;
}

export function describeCallback(call: EmergencyCall, pending: "starting" | "ending" | null): CallbackPresentation {
  // The server promises its statement never holds a number; a statement that does is not shown, as the safety rule
  // comes first (a supervisor told the wrong number would expect the responder on it).
  const details = call.callbackDetails !== null && !holdsDialableNumber(call.callbackDetails) ? call.callbackDetails : null;
  if (pending === "starting" && call.emergencyCallId === null) {
    return { label: "Callback", number: null, explanation: "Finding out how the responder can call you back…", details: null };
  }
  switch (call.callbackPath) {
    case "Pool":
      return call.callbackNumber !== null
        ? { label: "Callback number", number: call.callbackNumber, explanation: POOL_CALLBACK_TEXT, details }
        : { label: "Callback number", number: null, explanation: POOL_NO_NUMBER_TEXT, details };
    case "Microsoft":
      return { label: "Callback", number: null, explanation: MICROSOFT_CALLBACK_TEXT, details };
    default:
      return { label: "Callback", number: null, explanation: UNKNOWN_CALLBACK_TEXT, details };
  }
}
