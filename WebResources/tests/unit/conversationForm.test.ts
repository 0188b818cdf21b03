import { beforeEach, describe, expect, it, vi } from "vitest";
import { XrmMockGenerator } from "xrm-mock";
import {
  AUTO_SAVE_MODE,
  EMERGENCY_NOTIFICATION_ID,
  EMERGENCY_NOTIFICATION_TEXT,
  handleConversationLoad,
  isSaveOrRefreshAllowed,
} from "../../src/conversation/conversationForm";
import { FakeDataClient } from "./fakeDataClient";

const conversationId = "{6B1F0E2A-1D3C-4E5F-8A9B-0C1D2E3F4A5B}";
const bareConversationId = "6b1f0e2a-1d3c-4e5f-8a9b-0c1d2e3f4a5b";
const emergencyCallId = "0b7a1c8e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";

function conversationForm(id = conversationId) {
  XrmMockGenerator.initialise({ entity: { entityName: "msdyn_ocliveworkitem", id } });
  return XrmMockGenerator.getFormContext();
}

function formNotifications(formContext: Xrm.FormContext): Array<{ message: string; level: string; uniqueId: string }> {
  return (
    (formContext.ui as unknown as { formNotifications?: Array<{ message: string; level: string; uniqueId: string }> }).formNotifications ??
    []
  );
}

const emergencyCallExists = () =>
  new FakeDataClient().whenRetrieveMultiple("emc_emergencycall", [{ emc_emergencycallid: emergencyCallId }]);
const noEmergencyCall = () => new FakeDataClient().whenRetrieveMultiple("emc_emergencycall", []);

describe("ConversationForm", () => {
  beforeEach(() => {
    vi.restoreAllMocks();
  });

  it("OnLoad_EmergencyConversation_ShowsNotificationInOneRoundTrip", async () => {
    const formContext = conversationForm();
    const dataClient = emergencyCallExists();
    expect(await handleConversationLoad(formContext, dataClient)).toBe(true);
    expect(formNotifications(formContext)).toEqual([
      { message: EMERGENCY_NOTIFICATION_TEXT, level: "WARNING", uniqueId: EMERGENCY_NOTIFICATION_ID },
    ]);
    expect(dataClient.calls).toEqual([
      {
        method: "retrieveMultipleRecords",
        entity: "emc_emergencycall",
        options: `?$select=emc_emergencycallid&$filter=_emc_conversationid_value eq ${bareConversationId} and statecode eq 0&$top=1`,
      },
    ]);
  });

  it("OnLoad_EmergencyConversation_CancelsAutoSaveOnly", async () => {
    const formContext = conversationForm();
    await handleConversationLoad(formContext, emergencyCallExists());
    const entity = formContext.data.entity as unknown as {
      saveEventHandlers: Array<(context: Xrm.Events.SaveEventContext) => void>;
      getSaveContext(mode: number): Xrm.Events.SaveEventContext;
    };
    expect(entity.saveEventHandlers).toHaveLength(1);

    const autoSave = entity.getSaveContext(AUTO_SAVE_MODE);
    entity.saveEventHandlers.forEach((handler) => handler(autoSave));
    expect(autoSave.getEventArgs().isDefaultPrevented()).toBe(true);

    const explicitSave = entity.getSaveContext(1);
    entity.saveEventHandlers.forEach((handler) => handler(explicitSave));
    expect(explicitSave.getEventArgs().isDefaultPrevented()).toBe(false);
  });

  it("OnLoad_CalledTwice_RegistersTheSaveHandlerOnce", async () => {
    const formContext = conversationForm();
    await handleConversationLoad(formContext, emergencyCallExists());
    await handleConversationLoad(formContext, emergencyCallExists());
    const entity = formContext.data.entity as unknown as { saveEventHandlers: unknown[] };
    expect(entity.saveEventHandlers).toHaveLength(1);
    expect(formNotifications(formContext)).toHaveLength(1);
  });

  it("OnLoad_OrdinaryConversation_LeavesTheFormAlone", async () => {
    const formContext = conversationForm();
    expect(await handleConversationLoad(formContext, noEmergencyCall())).toBe(false);
    expect(formNotifications(formContext)).toEqual([]);
    expect((formContext.data.entity as unknown as { saveEventHandlers: unknown[] }).saveEventHandlers).toHaveLength(0);
  });

  it("OnLoad_NewUnsavedConversation_CostsNoRoundTrip", async () => {
    const formContext = conversationForm();
    vi.spyOn(formContext.data.entity, "getId").mockReturnValue("");
    const dataClient = emergencyCallExists();
    expect(await handleConversationLoad(formContext, dataClient)).toBe(false);
    expect(dataClient.calls).toHaveLength(0);
  });

  it("OnLoad_LookupFails_LogsAndLeavesTheFormUsable", async () => {
    const formContext = conversationForm();
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const dataClient = new FakeDataClient().whenRetrieveMultiple("emc_emergencycall", new Error("Network unavailable"));
    expect(await handleConversationLoad(formContext, dataClient)).toBe(false);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("Network unavailable"));
    expect(formNotifications(formContext)).toEqual([]);
  });

  it("IsSaveOrRefreshAllowed_EmergencyConversation_ReturnsFalse", async () => {
    const formContext = conversationForm();
    const dataClient = emergencyCallExists();
    await expect(isSaveOrRefreshAllowed(formContext, dataClient)).resolves.toBe(false);
    expect(dataClient.calls).toHaveLength(1);
  });

  it("IsSaveOrRefreshAllowed_OrdinaryConversation_ReturnsTrue", async () => {
    await expect(isSaveOrRefreshAllowed(conversationForm(), noEmergencyCall())).resolves.toBe(true);
  });

  it("IsSaveOrRefreshAllowed_LookupFails_ReturnsTrue", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const dataClient = new FakeDataClient().whenRetrieveMultiple("emc_emergencycall", new Error("timeout"));
    await expect(isSaveOrRefreshAllowed(conversationForm(), dataClient)).resolves.toBe(true);
  });
});
