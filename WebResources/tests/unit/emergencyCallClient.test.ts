import { describe, expect, it, vi } from "vitest";
import {
  activeCallQuery,
  applyDoNotDisturbPresence,
  applyRestoredPresence,
  endEmergencyCall,
  findActiveEmergencyCall,
  startEmergencyCall,
} from "../../src/panel/emergencyCallClient";
import { FakeDataClient } from "./fakeDataClient";

const userId = "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}";
const bareUserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const emergencyCallId = "0b7a1c8e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
const conversationId = "6b1f0e2a-1d3c-4e5f-8a9b-0c1d2e3f4a5b";
const presenceId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

describe("emergency call client", () => {
  it("ActiveCallQuery_UserIdWithBraces_UsesTheContractQuery", () => {
    expect(activeCallQuery(userId)).toBe(
      "?$select=emc_emergencycallid,emc_callbackexpireson,emc_countrycode&$expand=emc_callbacknumberid($select=emc_number)" +
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
        OriginNumberType: { typeName: "Edm.String", structuralProperty: 1 },
        Location: { typeName: "Edm.String", structuralProperty: 1 },
      },
    });
    expect(request?.parameters).toEqual({
      DialedNumber: "911",
      CountryCode: "US",
      ConversationId: conversationId,
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

  it("EndEmergencyCall_RestoredPresence_ReturnsItsBareId", async () => {
    const dataClient = new FakeDataClient().whenExecute("emc_EndEmergencyCall", {
      ok: true,
      body: { RestoredPresenceId: `{${presenceId.toUpperCase()}}` },
    });
    expect(await endEmergencyCall(dataClient, emergencyCallId)).toBe(presenceId);
    expect(dataClient.calls[0]?.metadata).toEqual({
      boundParameter: null,
      operationType: 0,
      operationName: "emc_EndEmergencyCall",
      parameterTypes: { EmergencyCallId: { typeName: "Edm.Guid", structuralProperty: 1 } },
    });
    expect(dataClient.calls[0]?.parameters).toEqual({ EmergencyCallId: emergencyCallId });
  });

  it("EndEmergencyCall_NoPresenceToRestore_ReturnsNull", async () => {
    const dataClient = new FakeDataClient().whenExecute("emc_EndEmergencyCall", { ok: true, body: { RestoredPresenceId: null } });
    expect(await endEmergencyCall(dataClient, emergencyCallId)).toBeNull();
  });

  it("ApplyRestoredPresence_WithCiFramework_SetsThePresenceText", async () => {
    const dataClient = new FakeDataClient().whenRetrieve("msdyn_presence", { msdyn_presencestatustext: "Available" });
    const ciFramework = { setPresence: vi.fn(() => Promise.resolve(true)) };
    expect(await applyRestoredPresence(dataClient, ciFramework, presenceId)).toBe("Available");
    expect(ciFramework.setPresence).toHaveBeenCalledWith("Available");
    expect(dataClient.calls).toEqual([
      { method: "retrieveRecord", entity: "msdyn_presence", id: presenceId, options: "?$select=msdyn_presencestatustext" },
    ]);
  });

  it("ApplyRestoredPresence_WithoutCiFramework_CostsNoRoundTrip", async () => {
    const dataClient = new FakeDataClient();
    expect(await applyRestoredPresence(dataClient, null, presenceId)).toBeNull();
    expect(dataClient.calls).toHaveLength(0);
  });

  it("ApplyDoNotDisturbPresence_WithCiFramework_SetsTheDndTextInOneRoundTrip", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", [{ msdyn_presencestatustext: "Do not disturb" }]);
    const ciFramework = { setPresence: vi.fn(() => Promise.resolve(true)) };
    expect(await applyDoNotDisturbPresence(dataClient, ciFramework)).toBe("Do not disturb");
    expect(ciFramework.setPresence).toHaveBeenCalledTimes(1);
    expect(ciFramework.setPresence).toHaveBeenCalledWith("Do not disturb");
    expect(dataClient.calls).toEqual([
      {
        method: "retrieveMultipleRecords",
        entity: "msdyn_presence",
        options: "?$select=msdyn_presencestatustext&$filter=msdyn_basepresencestatus eq 192360002&$top=1",
      },
    ]);
  });

  it("ApplyDoNotDisturbPresence_WithoutCiFramework_CostsNoRoundTrip", async () => {
    const dataClient = new FakeDataClient();
    expect(await applyDoNotDisturbPresence(dataClient, null)).toBeNull();
    expect(dataClient.calls).toHaveLength(0);
  });

  it("ApplyDoNotDisturbPresence_NoDndPresence_RejectsWithoutCallingCif", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", []);
    const ciFramework = { setPresence: vi.fn(() => Promise.resolve(true)) };
    await expect(applyDoNotDisturbPresence(dataClient, ciFramework)).rejects.toThrow(
      "no presence with base status Do not disturb (192360002)",
    );
    expect(ciFramework.setPresence).not.toHaveBeenCalled();
  });

  it("ApplyDoNotDisturbPresence_EmptyStatusText_RejectsWithoutCallingCif", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("msdyn_presence", [{ msdyn_presencestatustext: "" }]);
    const ciFramework = { setPresence: vi.fn(() => Promise.resolve(true)) };
    await expect(applyDoNotDisturbPresence(dataClient, ciFramework)).rejects.toThrow("has a status text");
    expect(ciFramework.setPresence).not.toHaveBeenCalled();
  });
});
