import { describe, expect, it, vi } from "vitest";
import { openOutboundConversationQuery, readOpenOutboundVoiceConversation } from "../../src/shared/conversations";
import { resolveManualDial } from "../../src/panel/manualDial";
import { FakeDataClient } from "./fakeDataClient";

const logger = () => ({ error: vi.fn(), info: vi.fn() });
const userId = "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}";
const conversationId = "5D7F2F0E-3C1A-4C55-9A55-0B3C2F1E9A01";
const numbers = [
  {
    schemaname: "emc_EmergencyNumbers",
    defaultvalue: '{"US":["911"],"GB":["999","112"]}',
    environmentvariabledefinition_environmentvariablevalue: [],
  },
];

function client(conversations: Array<Record<string, unknown>> | Error): FakeDataClient {
  return new FakeDataClient()
    .whenRetrieveMultiple("environmentvariabledefinition", numbers)
    .whenRetrieve("systemuser", { msdyn_phonenumberid: { msdyn_countryisocode: "GB" } })
    .whenRetrieveMultiple("msdyn_ocliveworkitem", conversations);
}

describe("manual start", () => {
  it("ResolveManualDial_OpenOutboundVoiceConversation_KeysTheStartByItInThreeReadsAtOnce", async () => {
    const dataClient = client([{ activityid: conversationId, msdyn_isoutbound: true, msdyn_channel: "192370000,192440000" }]);
    expect(await resolveManualDial(dataClient, userId, ["en-US"], logger())).toEqual({
      dialedNumber: "999",
      countryCode: "GB",
      conversationId: conversationId.toLowerCase(),
    });
    expect(dataClient.calls.map((call) => call.entity)).toEqual(["environmentvariabledefinition", "systemuser", "msdyn_ocliveworkitem"]);
    expect(dataClient.calls[2]?.options).toBe(openOutboundConversationQuery(userId));
    expect(openOutboundConversationQuery(userId)).toContain("_msdyn_activeagentid_value eq 3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  });

  it("ResolveManualDial_NoOpenConversationOrANonVoiceOne_NoConversation", async () => {
    expect((await resolveManualDial(client([]), userId, [], logger())).conversationId).toBeNull();
    const chat = client([{ activityid: conversationId, msdyn_isoutbound: true, msdyn_channel: "192390000" }]);
    expect((await resolveManualDial(chat, userId, [], logger())).conversationId).toBeNull();
  });

  it("ReadOpenOutboundVoiceConversation_ReadFails_NoConversationAndSaysSoNeverThrows", async () => {
    const failing = logger();
    expect(await readOpenOutboundVoiceConversation(client(new Error("403 Forbidden")), userId, failing)).toBeNull();
    expect(failing.error).toHaveBeenCalledWith(expect.stringContaining("gets a key of its own"));
    expect(await readOpenOutboundVoiceConversation(client([]), null, logger())).toBeNull();
  });
});
