import { describe, expect, it } from "vitest";
import {
  activeCallQuery,
  endEmergencyCall,
  findActiveEmergencyCall,
  startEmergencyCall,
  startEmergencyCallWithRetry,
} from "../../src/panel/emergencyCallClient";
import { PLUGIN_REFUSAL_ERROR_CODE, type RetryDependencies } from "../../src/shared/retry";
import { FakeDataClient } from "./fakeDataClient";

const userId = "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}";
const bareUserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const emergencyCallId = "0b7a1c8e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
const conversationId = "6b1f0e2a-1d3c-4e5f-8a9b-0c1d2e3f4a5b";
const idempotencyKey = "7e57c0de-0000-4000-8000-000000000911";

/** No real waiting: the waits are recorded, and "random" is a fixed sequence. */
function instantRetry(randoms: number[] = [0.5]): RetryDependencies & { readonly waits: number[] } {
  const waits: number[] = [];
  let index = 0;
  return {
    waits,
    random: () => randoms[index++ % randoms.length] ?? 0,
    sleep: (milliseconds) => {
      waits.push(milliseconds);
      return Promise.resolve();
    },
  };
}

describe("emergency call client", () => {
  it("ActiveCallQuery_UserIdWithBraces_UsesTheContractQuery", () => {
    expect(activeCallQuery(userId)).toBe(
      "?$select=emc_emergencycallid,emc_callbackexpireson,emc_countrycode,emc_originpath,emc_callbackdetails&$expand=emc_callbacknumberid($select=emc_number)" +
        `&$filter=_emc_agentid_value eq ${bareUserId} and statecode eq 0&$orderby=emc_startedon desc&$top=1`,
    );
  });

  it("FindActiveEmergencyCall_NoRow_ReturnsNullInOneRoundTrip", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("emc_emergencycall", []);
    expect(await findActiveEmergencyCall(dataClient, userId)).toBeNull();
    expect(dataClient.calls).toHaveLength(1);
  });

  it("StartEmergencyCall_AllOptions_SendsTypedParametersOfAnUnboundAction", async () => {
    const dataClient = new FakeDataClient().whenExecute("emc_StartEmergencyCall", {
      ok: true,
      body: {
        EmergencyCallId: emergencyCallId,
        CallbackNumber: "+12065550100",
        CallbackExpiresOn: "2026-11-25T13:00:00Z",
        NotificationStatus: 410750002,
        Warnings: [],
      },
    });
    const call = await startEmergencyCall(dataClient, "911", "US", {
      conversationId: `{${conversationId.toUpperCase()}}`,
      idempotencyKey: `{${idempotencyKey.toUpperCase()}}`,
      originNumberType: "CallingPlan",
      location: "1 Microsoft Way, Redmond",
    });
    expect(call.emergencyCallId).toBe(emergencyCallId);
    expect(dataClient.calls).toHaveLength(1);
    const [request] = dataClient.calls;
    expect(request?.metadata).toEqual({
      boundParameter: null,
      operationType: 0,
      operationName: "emc_StartEmergencyCall",
      parameterTypes: {
        DialedNumber: { typeName: "Edm.String", structuralProperty: 1 },
        CountryCode: { typeName: "Edm.String", structuralProperty: 1 },
        ConversationId: { typeName: "Edm.Guid", structuralProperty: 1 },
        IdempotencyKey: { typeName: "Edm.Guid", structuralProperty: 1 },
        OriginNumberType: { typeName: "Edm.String", structuralProperty: 1 },
        Location: { typeName: "Edm.String", structuralProperty: 1 },
      },
    });
    expect(request?.parameters).toEqual({
      DialedNumber: "911",
      CountryCode: "US",
      ConversationId: conversationId,
      IdempotencyKey: idempotencyKey,
      OriginNumberType: "CallingPlan",
      Location: "1 Microsoft Way, Redmond",
    });
  });

  it("StartEmergencyCall_NoOptions_LeavesOptionalParametersOut", async () => {
    const dataClient = new FakeDataClient().whenExecute("emc_StartEmergencyCall", { ok: true, body: { EmergencyCallId: emergencyCallId } });
    await startEmergencyCall(dataClient, "112", "DK");
    expect(Object.keys(dataClient.calls[0]?.metadata?.parameterTypes ?? {})).toEqual(["DialedNumber", "CountryCode"]);
    expect(dataClient.calls[0]?.parameters).toEqual({ DialedNumber: "112", CountryCode: "DK" });
  });

  it("StartEmergencyCall_ServerError_Rejects", async () => {
    const dataClient = new FakeDataClient().whenExecute("emc_StartEmergencyCall", { ok: false, status: 500, body: {} });
    await expect(startEmergencyCall(dataClient, "911", "US")).rejects.toThrow("status 500");
  });

  it("EndEmergencyCall_Always_ExecutesTheUnboundActionWithTheCallId", async () => {
    const dataClient = new FakeDataClient().whenExecute("emc_EndEmergencyCall", { ok: true, body: {} });
    await endEmergencyCall(dataClient, `{${emergencyCallId.toUpperCase()}}`);
    expect(dataClient.calls).toHaveLength(1);
    expect(dataClient.calls[0]?.metadata).toEqual({
      boundParameter: null,
      operationType: 0,
      operationName: "emc_EndEmergencyCall",
      parameterTypes: { EmergencyCallId: { typeName: "Edm.Guid", structuralProperty: 1 } },
    });
    expect(dataClient.calls[0]?.parameters).toEqual({ EmergencyCallId: emergencyCallId });
  });

  it("StartWithRetry_TwoFaultsThenSuccess_SendsTheSameKeyEveryTimeWithGrowingJitteredWaits", async () => {
    let attempt = 0;
    const dataClient = new FakeDataClient().whenExecute("emc_StartEmergencyCall", () => {
      attempt++;
      if (attempt <= 2) throw new Error(`timeout ${attempt}`);
      return { ok: true, body: { EmergencyCallId: emergencyCallId, CallbackPath: "Microsoft" } };
    });
    const retry = instantRetry([0.5, 0.5]);
    const call = await startEmergencyCallWithRetry(dataClient, "911", "US", { idempotencyKey, conversationId }, retry);
    expect(call.emergencyCallId).toBe(emergencyCallId);
    expect(dataClient.calls).toHaveLength(3);
    expect(new Set(dataClient.calls.map((c) => c.parameters?.["IdempotencyKey"]))).toEqual(new Set([idempotencyKey]));
    // Full jitter: half of the cap each time; the cap doubles from 500 ms.
    expect(retry.waits).toEqual([250, 500]);
  });

  it("StartWithRetry_ServerKeepsFailing_GivesUpAfterFiveAttemptsWithTheLastError", async () => {
    const dataClient = new FakeDataClient().whenExecute("emc_StartEmergencyCall", { ok: false, status: 503, body: {} });
    const retry = instantRetry([0.999]);
    await expect(startEmergencyCallWithRetry(dataClient, "911", "US", { idempotencyKey }, retry)).rejects.toThrow("status 503");
    expect(dataClient.calls).toHaveLength(5);
    expect(retry.waits).toEqual([499, 999, 1998, 3996]);
  });

  it("StartWithRetry_PluginRefusal_IsNotRetried", async () => {
    const refusal = Object.assign(new Error("999 is not an emergency number for US"), { errorCode: PLUGIN_REFUSAL_ERROR_CODE });
    const dataClient = new FakeDataClient().whenExecute("emc_StartEmergencyCall", refusal);
    const retry = instantRetry();
    await expect(startEmergencyCallWithRetry(dataClient, "999", "US", { idempotencyKey }, retry)).rejects.toThrow(
      "not an emergency number",
    );
    expect(dataClient.calls).toHaveLength(1);
    expect(retry.waits).toEqual([]);
  });
});
