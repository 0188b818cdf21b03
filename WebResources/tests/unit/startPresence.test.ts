import { describe, expect, it, vi } from "vitest";
import { consoleLogger, type Logger } from "../../src/shared/logging";
import {
  START_MARKER_KEY,
  START_MARKER_LIFETIME_MS,
  createStartMarker,
  switchToDoNotDisturbAfterStart,
  type StartMarkerStorage,
} from "../../src/panel/startPresence";
import { FakeDataClient } from "./fakeDataClient";

const emergencyCallId = "0b7a1c8e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
const dndQuery = "?$select=msdyn_presencestatustext&$filter=msdyn_basepresencestatus eq 192360002&$top=1";

function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, error: (message) => lines.push(`error: ${message}`), info: (message) => lines.push(`info: ${message}`) };
}

function memoryStorage(): StartMarkerStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe("Do not disturb after a start", () => {
  it("SwitchToDoNotDisturbAfterStart_DndPresenceExists_SetsItAndReturnsNoNote", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", [{ msdyn_presencestatustext: "Do not disturb" }]);
    const ciFramework = { setPresence: vi.fn(() => Promise.resolve(true)) };
    const logger = recordingLogger();
    expect(await switchToDoNotDisturbAfterStart(dataClient, ciFramework, logger, emergencyCallId)).toBeNull();
    expect(ciFramework.setPresence).toHaveBeenCalledWith("Do not disturb");
    expect(dataClient.calls).toEqual([{ method: "retrieveMultipleRecords", entity: "msdyn_presence", options: dndQuery }]);
    expect(logger.lines).toEqual([`info: presence switched to Do not disturb for emergency call ${emergencyCallId}`]);
  });

  it("SwitchToDoNotDisturbAfterStart_NoDndPresence_ReturnsNoteAndLogsWithoutThrowing", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", []);
    const ciFramework = { setPresence: vi.fn(() => Promise.resolve(true)) };
    const logger = recordingLogger();
    const note = await switchToDoNotDisturbAfterStart(dataClient, ciFramework, logger, emergencyCallId);
    expect(note).toContain(
      "Your presence could not be switched to Do not disturb (no presence with base status Do not disturb (192360002)",
    );
    expect(note).toContain("set it yourself");
    expect(ciFramework.setPresence).not.toHaveBeenCalled();
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^error: could not switch presence to Do not disturb for emergency call 0b7a1c8e/);
  });

  it("SwitchToDoNotDisturbAfterStart_CifThrows_ReturnsNoteWithTheReason", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", [{ msdyn_presencestatustext: "Do not disturb" }]);
    const ciFramework = {
      setPresence: vi.fn(() => {
        throw new Error("presence text is not configured");
      }),
    };
    const logger = recordingLogger();
    const note = await switchToDoNotDisturbAfterStart(dataClient, ciFramework, logger, emergencyCallId);
    expect(note).toContain("(presence text is not configured)");
    expect(logger.lines).toEqual([
      `error: could not switch presence to Do not disturb for emergency call ${emergencyCallId}: presence text is not configured`,
    ]);
  });

  it("SwitchToDoNotDisturbAfterStart_CifRejects_ReturnsNote", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", [{ msdyn_presencestatustext: "Do not disturb" }]);
    const ciFramework = { setPresence: vi.fn(() => Promise.reject(new Error("CIF is not ready"))) };
    const note = await switchToDoNotDisturbAfterStart(dataClient, ciFramework, recordingLogger(), emergencyCallId);
    expect(note).toContain("(CIF is not ready)");
  });

  it("SwitchToDoNotDisturbAfterStart_LookupFails_ReturnsNote", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", new Error("Network error"));
    const ciFramework = { setPresence: vi.fn(() => Promise.resolve(true)) };
    const note = await switchToDoNotDisturbAfterStart(dataClient, ciFramework, recordingLogger(), emergencyCallId);
    expect(note).toContain("(Network error)");
    expect(ciFramework.setPresence).not.toHaveBeenCalled();
  });

  it("SwitchToDoNotDisturbAfterStart_WithoutCiFramework_NoRoundTripNoNote", async () => {
    const dataClient = new FakeDataClient();
    const logger = recordingLogger();
    expect(await switchToDoNotDisturbAfterStart(dataClient, null, logger, emergencyCallId)).toBeNull();
    expect(dataClient.calls).toHaveLength(0);
    expect(logger.lines).toEqual([
      `info: no channel integration: Do not disturb for emergency call ${emergencyCallId} is left to the server's presence step`,
    ]);
  });

  it("SwitchToDoNotDisturbAfterStart_ErrorQuotesAPhoneNumber_ConsoleLineIsRedacted", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", [{ msdyn_presencestatustext: "Do not disturb" }]);
      const ciFramework = { setPresence: vi.fn(() => Promise.reject(new Error("busy on 911 with +1 206 555 0100"))) };
      await switchToDoNotDisturbAfterStart(dataClient, ciFramework, consoleLogger("EmergencySolution panel"), emergencyCallId);
      const written = consoleError.mock.calls.map((call) => String(call[0]));
      expect(written).toEqual([
        `EmergencySolution panel: could not switch presence to Do not disturb for emergency call ${emergencyCallId}: busy on [number] with [number]`,
      ]);
    } finally {
      consoleError.mockRestore();
    }
  });
});

describe("start marker", () => {
  const at = (iso: string) => () => new Date(iso);

  it("TakeIfFresh_MarkedJustNow_ReturnsTrueOnceAndRemovesIt", () => {
    const storage = memoryStorage();
    const marker = createStartMarker(storage, at("2026-11-25T12:00:00Z"));
    marker.markInFlight();
    expect(storage.items.get(START_MARKER_KEY)).toBe(String(Date.parse("2026-11-25T12:00:00Z")));
    expect(marker.takeIfFresh()).toBe(true);
    expect(marker.takeIfFresh()).toBe(false);
    expect(storage.items.has(START_MARKER_KEY)).toBe(false);
  });

  it("TakeIfFresh_AfterReload_SeesTheMarkerOfThePreviousPage", () => {
    const storage = memoryStorage();
    createStartMarker(storage, at("2026-11-25T12:00:00Z")).markInFlight();
    const reloaded = createStartMarker(storage, at("2026-11-25T12:00:20Z"));
    expect(reloaded.takeIfFresh()).toBe(true);
  });

  it("TakeIfFresh_OlderThanTheLifetime_ReturnsFalseAndRemovesIt", () => {
    const storage = memoryStorage();
    createStartMarker(storage, at("2026-11-25T12:00:00Z")).markInFlight();
    const later = createStartMarker(storage, () => new Date(Date.parse("2026-11-25T12:00:00Z") + START_MARKER_LIFETIME_MS + 1));
    expect(later.takeIfFresh()).toBe(false);
    expect(storage.items.has(START_MARKER_KEY)).toBe(false);
  });

  it("TakeIfFresh_Cleared_ReturnsFalse", () => {
    const marker = createStartMarker(memoryStorage(), at("2026-11-25T12:00:00Z"));
    marker.markInFlight();
    marker.clear();
    expect(marker.takeIfFresh()).toBe(false);
  });

  it("TakeIfFresh_NeverMarked_ReturnsFalse", () => {
    expect(createStartMarker(memoryStorage(), at("2026-11-25T12:00:00Z")).takeIfFresh()).toBe(false);
  });

  it("TakeIfFresh_GarbageInStorage_ReturnsFalse", () => {
    const storage = memoryStorage();
    storage.setItem(START_MARKER_KEY, "not a time");
    expect(createStartMarker(storage, at("2026-11-25T12:00:00Z")).takeIfFresh()).toBe(false);
  });

  it("StartMarker_StorageThrows_FallsBackToMemory", () => {
    const refusing: StartMarkerStorage = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("SecurityError");
      },
      removeItem: () => {
        throw new Error("SecurityError");
      },
    };
    const marker = createStartMarker(refusing, at("2026-11-25T12:00:00Z"));
    marker.markInFlight();
    expect(marker.takeIfFresh()).toBe(true);
    expect(marker.takeIfFresh()).toBe(false);
  });

  it("StartMarker_NoStorage_KeepsItInMemory", () => {
    const marker = createStartMarker(null, at("2026-11-25T12:00:00Z"));
    marker.markInFlight();
    expect(marker.takeIfFresh()).toBe(true);
  });

  it("StartMarker_StoredValue_HoldsOnlyATime", () => {
    const storage = memoryStorage();
    createStartMarker(storage, at("2026-11-25T12:00:00Z")).markInFlight();
    expect([...storage.items.values()].every((value) => /^\d+$/.test(value))).toBe(true);
  });
});
