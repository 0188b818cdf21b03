import { describe, expect, it } from "vitest";
import {
  NotificationStatus,
  activeCallFound,
  callFromActiveRecord,
  callFromStartResponse,
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
} from "../../src/panel/panelState";

const emergencyCallId = "0b7a1c8e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
const startedAt = new Date("2026-11-25T12:00:00Z");

describe("panel state", () => {
  it("FormatCountdown_SixtyMinutesLeft_ShowsMinutesAndSeconds", () => {
    expect(formatCountdown(new Date("2026-11-25T13:00:00Z"), startedAt)).toBe("60:00");
    expect(formatCountdown(new Date("2026-11-25T12:59:58.200Z"), startedAt)).toBe("59:59");
  });

  it("FormatCountdown_OverAnHour_ShowsHours", () => {
    expect(formatCountdown(new Date("2026-11-25T13:01:05Z"), startedAt)).toBe("1:01:05");
  });

  it("FormatCountdown_PastExpiry_SaysExpired", () => {
    expect(formatCountdown(new Date("2026-11-25T12:00:00Z"), startedAt)).toBe("expired");
    expect(formatCountdown(new Date("2026-11-25T11:00:00Z"), startedAt)).toBe("expired");
  });

  it("FormatCountdown_UnknownExpiry_ReturnsNull", () => {
    expect(formatCountdown(null, startedAt)).toBeNull();
  });

  it("CallFromActiveRecord_ExpandedCallbackNumber_ReadsEveryField", () => {
    const call = callFromActiveRecord({
      emc_emergencycallid: emergencyCallId,
      emc_callbackexpireson: "2026-11-25T13:00:00Z",
      emc_countrycode: "US",
      emc_callbacknumberid: { emc_number: "+12065550100" },
    });
    expect(call).toEqual({
      emergencyCallId,
      callbackNumber: "+12065550100",
      callbackExpiresOn: new Date("2026-11-25T13:00:00Z"),
      countryCode: "US",
      notificationStatus: null,
      warnings: [],
    });
  });

  it("CallFromActiveRecord_NoCallbackLeased_HasNullNumberAndExpiry", () => {
    const call = callFromActiveRecord({ emc_emergencycallid: emergencyCallId, emc_callbacknumberid: null });
    expect(call.callbackNumber).toBeNull();
    expect(call.callbackExpiresOn).toBeNull();
  });

  it("CallFromStartResponse_AllOutputs_AreMapped", () => {
    const call = callFromStartResponse(
      {
        EmergencyCallId: emergencyCallId,
        CallbackNumber: "+12065550100",
        CallbackExpiresOn: "2026-11-25T13:00:00Z",
        NotificationStatus: NotificationStatus.Failed,
        Warnings: ["The agent's mailbox is not approved.", 7],
      },
      "US",
    );
    expect(call).toEqual({
      emergencyCallId,
      callbackNumber: "+12065550100",
      callbackExpiresOn: new Date("2026-11-25T13:00:00Z"),
      countryCode: "US",
      notificationStatus: NotificationStatus.Failed,
      warnings: ["The agent's mailbox is not approved."],
    });
  });

  it("StartFailed_AfterStartRequested_StaysInEmergencyModeWithTheReason", () => {
    const state = startFailed(startRequested("GB"), "Network unavailable");
    expect(state.mode).toBe("emergency");
    if (state.mode !== "emergency") return;
    expect(state.pending).toBeNull();
    expect(state.call.emergencyCallId).toBeNull();
    expect(state.error).toContain("Network unavailable");
    expect(state.error).toContain("The call continues");
  });

  it("EndRequested_ThenFailed_KeepsTheCallAndAllowsRetry", () => {
    const call = callFromActiveRecord({ emc_emergencycallid: emergencyCallId });
    const ending = endRequested(activeCallFound(call));
    expect(ending.mode === "emergency" && ending.pending).toBe("ending");
    const failed = endFailed(ending, "Server busy");
    expect(failed.mode === "emergency" && failed.pending).toBeNull();
    expect(failed.mode === "emergency" && failed.error).toContain("Try End call again");
  });

  it("EndSucceeded_WithPresenceNote_ReturnsToIdleAndReportsIt", () => {
    expect(endSucceeded("Please set it yourself.")).toEqual({
      mode: "idle",
      message: "The emergency call has ended.",
      error: "Please set it yourself.",
    });
  });

  it("EndRequested_WhenIdle_ChangesNothing", () => {
    expect(endRequested(initialState)).toBe(initialState);
  });

  it("StartSucceeded_ClearsPendingAndError", () => {
    const call = callFromActiveRecord({ emc_emergencycallid: emergencyCallId });
    expect(startSucceeded(call)).toEqual({ mode: "emergency", call, pending: null, error: null });
  });

  it("DescribeNotificationStatus_EveryChoiceValue_HasText", () => {
    expect(describeNotificationStatus(410750000)).toMatch(/No notification recipients/);
    expect(describeNotificationStatus(410750001)).toMatch(/queued/);
    expect(describeNotificationStatus(410750002)).toMatch(/sent/);
    expect(describeNotificationStatus(410750003)).toMatch(/could not be sent/);
    expect(describeNotificationStatus(null)).toBeNull();
  });

  it("PresenceNoteAdded_SameCall_ShowsTheNoteAndStaysInEmergencyMode", () => {
    const started = startSucceeded({ ...callFromStartResponse({ EmergencyCallId: emergencyCallId }, "US") });
    const noted = presenceNoteAdded(started, emergencyCallId, "Your presence could not be switched");
    expect(noted).toEqual({ ...started, error: "Your presence could not be switched" });
  });

  it("PresenceNoteAdded_CallEndedMeanwhile_IsDropped", () => {
    const ended = endSucceeded(null);
    expect(presenceNoteAdded(ended, emergencyCallId, "late note")).toBe(ended);
  });

  it("PresenceNoteAdded_AnotherCall_IsDropped", () => {
    const other = activeCallFound(callFromStartResponse({ EmergencyCallId: "11111111-2222-4333-8444-555555555555" }, "US"));
    expect(presenceNoteAdded(other, emergencyCallId, "note for another call")).toBe(other);
  });
});
