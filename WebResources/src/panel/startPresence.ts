import { describeError, type DataClient } from "../shared/dataClient";
import type { Logger } from "../shared/logging";
import { applyDoNotDisturbPresence, type CiFrameworkLike } from "./emergencyCallClient";

/**
 * Switches the agent to Do not disturb right after this panel started a call, and never throws: the call must go on
 * whatever happens to presence. Returns the note to show in the panel when the switch failed, otherwise null.
 * The server's asynchronous presence step applies (and records) Do not disturb as well a few seconds later, so the
 * note says so; the client switch only closes that gap.
 */
export async function switchToDoNotDisturbAfterStart(
  dataClient: DataClient,
  ciFramework: CiFrameworkLike | null,
  logger: Logger,
  emergencyCallId: string | null,
): Promise<string | null> {
  const callLabel = emergencyCallId ?? "(no id)";
  try {
    const applied = await applyDoNotDisturbPresence(dataClient, ciFramework);
    logger.info(
      applied === null
        ? `no channel integration: Do not disturb for emergency call ${callLabel} is left to the server's presence step`
        : `presence switched to Do not disturb for emergency call ${callLabel}`,
    );
    return null;
  } catch (error) {
    const message = describeError(error);
    logger.error(`could not switch presence to Do not disturb for emergency call ${callLabel}: ${message}`);
    return `Your presence could not be switched to Do not disturb (${message}). The server tries again within seconds; if it does not change, set it yourself.`;
  }
}

/** The slice of window.sessionStorage the start marker uses. */
export interface StartMarkerStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const START_MARKER_KEY = "EmergencySolution.Panel.startInFlight";

/** A start older than this is not "right after a start" any more; the server's presence step has long run by then. */
export const START_MARKER_LIFETIME_MS = 5 * 60_000;

/**
 * Remembers, for this browser tab, that this panel sent emc_StartEmergencyCall and has not yet had the answer. It holds
 * only a time (never a number). If the pane reloads while Start is in flight, the new page's lookup finds the call, and
 * the marker is how it knows that the call was started here, just now, so it may switch to Do not disturb once; a
 * call found by a later poll, with no marker, is never touched, so a presence the agent chose deliberately stays.
 * Storage that cannot be read (a sandboxed frame) degrades to memory: the marker then only lives as long as the page.
 */
export interface StartMarker {
  markInFlight(): void;
  clear(): void;
  /** True once per marker, and only while it is fresh; removes it either way. */
  takeIfFresh(): boolean;
}

export function createStartMarker(storage: StartMarkerStorage | null, now: () => Date): StartMarker {
  let memory: string | null = null;
  const read = (): string | null => {
    try {
      return storage ? storage.getItem(START_MARKER_KEY) : memory;
    } catch {
      return memory;
    }
  };
  const write = (value: string | null): void => {
    memory = value;
    try {
      if (value === null) storage?.removeItem(START_MARKER_KEY);
      else storage?.setItem(START_MARKER_KEY, value);
    } catch {
      // Memory already holds it; storage is a convenience for reloads.
    }
  };
  return {
    markInFlight: () => write(String(now().getTime())),
    clear: () => write(null),
    takeIfFresh() {
      const value = read();
      if (value === null) return false;
      write(null);
      const markedAt = Number(value);
      const age = now().getTime() - markedAt;
      return Number.isFinite(markedAt) && age >= 0 && age <= START_MARKER_LIFETIME_MS;
    },
  };
}
