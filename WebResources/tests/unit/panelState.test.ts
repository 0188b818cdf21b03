import { describe, expect, it } from "vitest";
import {
  NotificationStatus,
  activeCallFound,
  callFromActiveRecord,
  callFromStartResponse,
  describeCallback,
  describeNotificationStatus,
  endFailed,
  endRequested,
  endSucceeded,
  formatCountdown,
  initialState,
  MICROSOFT_CALLBACK_TEXT,
  OriginPath,
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
      emc_originpath: OriginPath.DirectRouting,
      emc_callbackdetails: "The carrier presents the leased number.",
      emc_callbacknumberid: { emc_number: "+12065550100" },
    });
    expect(call).toEqual({
      emergencyCallId,
      callbackPath: "Pool",
      callbackNumber: "+12065550100",
      callbackExpiresOn: new Date("2026-11-25T13:00:00Z"),
      callbackDetails: "The carrier presents the leased number.",
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
        CallbackPath: "Pool",
        CallbackNumber: "+12065550100",
        CallbackExpiresOn: "2026-11-25T13:00:00Z",
        CallbackDetails: "Direct routing: your carrier presents the leased number.",
        NotificationStatus: NotificationStatus.Failed,
        Warnings: ["The agent's mailbox is not approved.", 7],
      },
      "US",
    );
    expect(call).toEqual({
      emergencyCallId,
      callbackPath: "Pool",
      callbackNumber: "+12065550100",
      callbackExpiresOn: new Date("2026-11-25T13:00:00Z"),
      callbackDetails: "Direct routing: your carrier presents the leased number.",
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

  it("EndSucceeded_Always_ReturnsToIdleWithTheOutcome", () => {
    expect(endSucceeded()).toEqual({ mode: "idle", message: "The emergency call has ended.", error: null });
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
    expect(describeNotificationStatus(410750004)).toMatch(/built-in emergency calling/);
    expect(describeNotificationStatus(null)).toBeNull();
  });
});

/** Every way a call can reach the panel, with the number the server might (wrongly or rightly) have put on it. */
const leasedNumber = "+12065550100";
const callsByPath = {
  "Start: Microsoft": callFromStartResponse(
    { EmergencyCallId: emergencyCallId, CallbackPath: "Microsoft", CallbackNumber: leasedNumber },
    "US",
  ),
  "Start: Pool": callFromStartResponse({ EmergencyCallId: emergencyCallId, CallbackPath: "Pool", CallbackNumber: leasedNumber }, "US"),
  "Start: Pool without a number": callFromStartResponse(
    { EmergencyCallId: emergencyCallId, CallbackPath: "Pool", CallbackNumber: "" },
    "US",
  ),
  "Start: Unknown": callFromStartResponse(
    { EmergencyCallId: emergencyCallId, CallbackPath: "Unknown", CallbackNumber: leasedNumber },
    "US",
  ),
  "Start: no CallbackPath (older server)": callFromStartResponse({ EmergencyCallId: emergencyCallId, CallbackNumber: leasedNumber }, "US"),
  "Start: unexpected CallbackPath": callFromStartResponse(
    { EmergencyCallId: emergencyCallId, CallbackPath: "PoolNumber", CallbackNumber: leasedNumber },
    "US",
  ),
  "row: calling plan": callFromActiveRecord({
    emc_emergencycallid: emergencyCallId,
    emc_originpath: OriginPath.CallingPlan,
    emc_callbacknumberid: { emc_number: leasedNumber },
  }),
  "row: direct offer": callFromActiveRecord({
    emc_emergencycallid: emergencyCallId,
    emc_originpath: OriginPath.DirectOffer,
    emc_callbacknumberid: { emc_number: leasedNumber },
  }),
  "row: direct routing": callFromActiveRecord({
    emc_emergencycallid: emergencyCallId,
    emc_originpath: OriginPath.DirectRouting,
    emc_callbacknumberid: { emc_number: leasedNumber },
  }),
  "row: unknown with a lease": callFromActiveRecord({
    emc_emergencycallid: emergencyCallId,
    emc_originpath: OriginPath.Unknown,
    emc_callbacknumberid: { emc_number: leasedNumber },
  }),
  "row: unknown without a lease": callFromActiveRecord({
    emc_emergencycallid: emergencyCallId,
    emc_originpath: OriginPath.Unknown,
    emc_callbacknumberid: null,
  }),
  "row: no origin path (older row)": callFromActiveRecord({
    emc_emergencycallid: emergencyCallId,
    emc_callbacknumberid: { emc_number: leasedNumber },
  }),
} as const;

/** The paths on which the responder really sees the leased number as the caller id. */
const pathsWhereTheResponderHasTheNumber = new Set(["Start: Pool", "row: direct routing", "row: unknown with a lease"]);

describe("callback number by origin path", () => {
  for (const [name, call] of Object.entries(callsByPath)) {
    it(`DescribeCallback_${name}_ShowsANumberOnlyWhereTheResponderHasIt`, () => {
      const shown = describeCallback(call, null);
      const everything = [shown.label, shown.number ?? "", shown.explanation, shown.details ?? ""].join(" ");
      if (pathsWhereTheResponderHasTheNumber.has(name)) {
        expect(shown.number).toBe(leasedNumber);
      } else {
        expect(shown.number).toBeNull();
        expect(call.callbackNumber).toBeNull();
        expect(everything.replace(/\D/g, "")).not.toContain("2065550100");
      }
    });
  }

  it("DescribeCallback_MicrosoftPath_SaysTemporaryNumberSixtyMinutesAndTestNumber933", () => {
    const shown = describeCallback(callsByPath["Start: Microsoft"], null);
    expect(shown.explanation).toBe(MICROSOFT_CALLBACK_TEXT);
    expect(shown.explanation).toContain("temporary number that Microsoft assigns");
    expect(shown.explanation).toContain("about 60 minutes");
    expect(shown.explanation).toContain("933");
  });

  it("DescribeCallback_UnknownPath_SaysPlainlyWhatIsNotKnown", () => {
    const shown = describeCallback(callsByPath["row: unknown without a lease"], null);
    expect(shown.explanation).toContain("not known");
    expect(shown.number).toBeNull();
  });

  it("DescribeCallback_ServerDetails_AreShownVerbatim", () => {
    const call = callFromStartResponse(
      { EmergencyCallId: emergencyCallId, CallbackPath: "Microsoft", CallbackDetails: "Left to Microsoft." },
      "US",
    );
    expect(describeCallback(call, null).details).toBe("Left to Microsoft.");
  });

  it("DescribeCallback_ServerDetailsHoldingANumber_AreNotShown", () => {
    const call = callFromStartResponse(
      { EmergencyCallId: emergencyCallId, CallbackPath: "Microsoft", CallbackDetails: "Call back on +1 (206) 555-0100." },
      "US",
    );
    expect(describeCallback(call, null).details).toBeNull();
  });

  it("DescribeCallback_WhileStarting_ShowsNoNumberYet", () => {
    const starting = startRequested("US");
    expect(starting.mode === "emergency" && describeCallback(starting.call, "starting").number).toBeNull();
  });
});
