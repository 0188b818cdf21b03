import { describe, expect, it, vi } from "vitest";
import type { ConversationLoadedEventData, StandaloneSdk } from "../../src/dialWatcher/contactCenterSdk";
import { findStandaloneSdk } from "../../src/dialWatcher/contactCenterSdk";
import { conversationQuery, createDialWatcher, type DialWatcherDependencies } from "../../src/dialWatcher/dialWatcher";
import type { PanelMessage } from "../../src/shared/panelChannel";
import { PLUGIN_REFUSAL_ERROR_CODE } from "../../src/shared/retry";
import { FakeDataClient } from "./fakeDataClient";

const conversationId = "6b1f0e2a-1d3c-4e5f-8a9b-0c1d2e3f4a5b";
const otherConversationId = "11111111-2222-4333-8444-555555555555";
const emergencyCallId = "0b7a1c8e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
const userId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

/**
 * A stand-in for Microsoft.CCaaS.StandaloneSDK with exactly the documented members the watcher uses:
 * conversation.onConversationLoaded(callback) returning a handler id, and utility.removeEventHandlerById(id).
 */
class FakeStandaloneSdk implements StandaloneSdk {
  readonly handlers = new Map<string, (eventData: ConversationLoadedEventData) => void>();
  readonly removed: string[] = [];
  private next = 0;
  readonly conversation = {
    onConversationLoaded: (callback: (eventData: ConversationLoadedEventData) => void): string => {
      const id = `handler-${++this.next}`;
      this.handlers.set(id, callback);
      return id;
    },
  };
  readonly utility = {
    removeEventHandlerById: (id: string): boolean => {
      this.removed.push(id);
      return this.handlers.delete(id);
    },
  };

  /** What the platform does when a conversation loads: calls every handler with IConversationLoadedEventData. */
  fire(eventData: ConversationLoadedEventData): void {
    for (const handler of this.handlers.values()) handler(eventData);
  }
}

const loaded = (customerPhoneNumber: string | undefined, liveWorkItemId = conversationId): ConversationLoadedEventData => ({
  liveWorkItemId,
  conversationType: "Voice",
  createdTimeStamp: "2026-12-01T14:00:00Z",
  sessionId: "session-1",
  customerName: "",
  ...(customerPhoneNumber !== undefined ? { customerPhoneNumber } : {}),
});

function orgWith(options: { outbound?: boolean; channel?: string; country?: string; start?: unknown } = {}): FakeDataClient {
  return new FakeDataClient()
    .whenRetrieve("msdyn_ocliveworkitem", { msdyn_isoutbound: options.outbound ?? true, msdyn_channel: options.channel ?? "192370000" })
    .whenRetrieve("systemuser", { msdyn_phonenumberid: { msdyn_countryisocode: options.country ?? "US" } })
    .whenRetrieveMultiple("environmentvariabledefinition", [
      {
        schemaname: "emc_EmergencyNumbers",
        defaultvalue: '{"US":["911"],"PR":["911"],"CA":["911"],"GB":["999","112","911"],"DK":["112","911"]}',
        environmentvariabledefinition_environmentvariablevalue: [],
      },
    ])
    .whenExecute(
      "emc_StartEmergencyCall",
      (options.start as never) ?? { ok: true, body: { EmergencyCallId: emergencyCallId, CallbackPath: "Microsoft" } },
    );
}

function watcherWith(dataClient: FakeDataClient | null, sdk: StandaloneSdk | null = new FakeStandaloneSdk()) {
  const messages: PanelMessage[] = [];
  const logger = { error: vi.fn(), info: vi.fn() };
  const openPanel = vi.fn((_conversationId: string) => Promise.resolve());
  const dependencies: DialWatcherDependencies = {
    sdk,
    dataClient,
    userId,
    browserLanguages: ["en-US"],
    logger,
    retry: { random: () => 0.5, sleep: () => Promise.resolve() },
    openPanel,
    channel: { postMessage: (message) => messages.push(message), addEventListener: () => undefined },
  };
  return { watcher: createDialWatcher(dependencies), messages, logger, openPanel };
}

const starts = (dataClient: FakeDataClient) => dataClient.calls.filter((call) => call.operationName === "emc_StartEmergencyCall");

describe("client dial watcher", () => {
  it("FindStandaloneSdk_DocumentedNamespaces_AreFoundAndAnythingElseIsNot", () => {
    const sdk = new FakeStandaloneSdk();
    expect(findStandaloneSdk({ Microsoft: { CCaaS: { StandaloneSDK: sdk } } })).toBe(sdk);
    expect(findStandaloneSdk({ Microsoft: { CCaaS: { CCaaSSdk: sdk } } })).toBe(sdk);
    expect(findStandaloneSdk({ Microsoft: { CCaaS: { StandaloneSDK: { conversation: {} } } } })).toBeNull();
    expect(findStandaloneSdk({})).toBeNull();
    expect(findStandaloneSdk(undefined)).toBeNull();
  });

  it("Watcher_NoSdk_SaysSoInTheConsoleAndListensToNothing", () => {
    const { watcher, logger } = watcherWith(orgWith(), null);
    expect(watcher.listening).toBe(false);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining("Contact Center SDK (Microsoft.CCaaS.StandaloneSDK) is not on this page"),
    );
  });

  it("Watcher_SubscribeThrows_NeverThrowsIntoTheHost", () => {
    const throwing: StandaloneSdk = {
      conversation: {
        onConversationLoaded: () => {
          throw new Error("preview not enabled");
        },
      },
    };
    const { watcher, logger } = watcherWith(orgWith(), throwing);
    expect(watcher.listening).toBe(false);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining("preview not enabled"));
  });

  it("Watcher_Stop_RemovesItsHandlerById", () => {
    const sdk = new FakeStandaloneSdk();
    const { watcher } = watcherWith(orgWith(), sdk);
    expect(sdk.handlers.size).toBe(1);
    watcher.stop();
    expect(sdk.removed).toEqual(["handler-1"]);
    expect(sdk.handlers.size).toBe(0);
  });

  it("Watcher_OutboundVoice911FromAUsAgent_StartsOneCallKeyedByTheConversationAndOpensThePanel", async () => {
    const dataClient = orgWith();
    const { watcher, messages, openPanel } = watcherWith(dataClient);
    expect(await watcher.handle(loaded("+1 911", `{${conversationId.toUpperCase()}}`))).toBe("started");
    const [start] = starts(dataClient);
    expect(start?.parameters).toEqual({
      DialedNumber: "911",
      CountryCode: "US",
      ConversationId: conversationId,
      IdempotencyKey: conversationId,
    });
    expect(openPanel).toHaveBeenCalledWith(conversationId);
    expect(messages).toEqual([
      { type: "call-starting", conversationId },
      { type: "call-registered", conversationId, emergencyCallId },
    ]);
    // The emergency numbers, the agent's country and the conversation (sent together), then Start.
    expect(dataClient.calls.map((call) => call.entity ?? call.operationName)).toEqual([
      "environmentvariabledefinition",
      "systemuser",
      "msdyn_ocliveworkitem",
      "emc_StartEmergencyCall",
    ]);
    expect(dataClient.calls[2]?.options).toBe(conversationQuery);
  });

  it("Watcher_EventsRepeatAndOverlap_OneStartPerDial", async () => {
    const sdk = new FakeStandaloneSdk();
    const dataClient = orgWith();
    const { watcher } = watcherWith(dataClient, sdk);
    const first = watcher.handle(loaded("911"));
    const overlapping = watcher.handle(loaded("911"));
    expect(await overlapping).toBe("ignored-repeat");
    expect(await first).toBe("started");
    expect(await watcher.handle(loaded("911"))).toBe("ignored-repeat");
    sdk.fire(loaded("911"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(starts(dataClient)).toHaveLength(1);
  });

  it("Watcher_OrdinaryOutboundCall_CostsNoRoundTrip", async () => {
    const dataClient = orgWith();
    const { watcher } = watcherWith(dataClient);
    expect(await watcher.handle(loaded("+1 (206) 555-0100"))).toBe("ignored-not-a-short-number");
    expect(await watcher.handle(loaded(undefined, otherConversationId))).toBe("ignored-not-a-short-number");
    expect(dataClient.calls).toHaveLength(0);
  });

  it("Watcher_InboundOrNonVoiceConversation_StartsNothing", async () => {
    const inbound = orgWith({ outbound: false });
    expect(await watcherWith(inbound).watcher.handle(loaded("911"))).toBe("ignored-not-outbound-voice");
    const chat = orgWith({ channel: "192360000" });
    expect(await watcherWith(chat).watcher.handle(loaded("911"))).toBe("ignored-not-outbound-voice");
    expect(starts(inbound)).toHaveLength(0);
    expect(starts(chat)).toHaveLength(0);
  });

  it("Watcher_VoiceCallChannelAmongSeveral_CountsAsVoice", async () => {
    const dataClient = orgWith({ channel: "192360000,192440000" });
    expect(await watcherWith(dataClient).watcher.handle(loaded("911"))).toBe("started");
  });

  it("Watcher_ShortNumberThatIsNoEmergencyNumberForTheAgent_StartsNothing", async () => {
    const dataClient = orgWith({ country: "US" });
    const { watcher } = watcherWith(dataClient);
    expect(await watcher.handle(loaded("411"))).toBe("ignored-not-an-emergency-number");
    expect(await watcher.handle(loaded("999", otherConversationId))).toBe("ignored-not-an-emergency-number");
    expect(starts(dataClient)).toHaveLength(0);
  });

  it("Watcher_AgentInAnUnsupportedCountry_StillStartsAndSendsTheCountryAsKnown", async () => {
    const dataClient = orgWith({ country: "FR" });
    expect(await watcherWith(dataClient).watcher.handle(loaded("112"))).toBe("started");
    expect(starts(dataClient)[0]?.parameters).toMatchObject({ DialedNumber: "112", CountryCode: "FR" });
  });

  it("Watcher_ConversationReadFails_StartsAnyway", async () => {
    const dataClient = orgWith().whenRetrieve("msdyn_ocliveworkitem", new Error("timeout"));
    const { watcher, logger } = watcherWith(dataClient);
    expect(await watcher.handle(loaded("911"))).toBe("started");
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining("treated as an outbound call"));
  });

  it("Watcher_StartFailsTwiceThenAnswers_OneCallSameKey", async () => {
    let attempts = 0;
    const dataClient = orgWith({
      start: () => {
        attempts++;
        if (attempts < 3) throw new Error("429 Too Many Requests");
        return { ok: true, body: { EmergencyCallId: emergencyCallId } };
      },
    });
    expect(await watcherWith(dataClient).watcher.handle(loaded("911"))).toBe("started");
    expect(new Set(starts(dataClient).map((call) => call.parameters?.["IdempotencyKey"]))).toEqual(new Set([conversationId]));
    expect(starts(dataClient)).toHaveLength(3);
  });

  it("Watcher_StartRefused_TellsThePanelAndARepeatTriesAgain", async () => {
    const refusal = Object.assign(new Error("refused"), { errorCode: PLUGIN_REFUSAL_ERROR_CODE });
    const dataClient = orgWith({ start: refusal });
    const { watcher, messages } = watcherWith(dataClient);
    expect(await watcher.handle(loaded("911"))).toBe("start-failed");
    expect(messages.at(-1)).toEqual({ type: "call-failed", conversationId, error: "refused" });
    expect(await watcher.handle(loaded("911"))).toBe("start-failed");
    expect(starts(dataClient)).toHaveLength(2);
  });

  it("Watcher_SecondEmergencyDial_ReadsTheConfigurationAndCountryOnlyOnce", async () => {
    const dataClient = orgWith();
    const { watcher } = watcherWith(dataClient);
    await watcher.handle(loaded("911"));
    const before = dataClient.calls.length;
    await watcher.handle(loaded("911", otherConversationId));
    expect(dataClient.calls.slice(before).map((call) => call.entity ?? call.operationName)).toEqual([
      "msdyn_ocliveworkitem",
      "emc_StartEmergencyCall",
    ]);
  });

  it("Watcher_DataClientThrowsSynchronously_TheSdkCallbackNeverThrows", async () => {
    const sdk = new FakeStandaloneSdk();
    const dataClient = orgWith();
    dataClient.retrieveRecord = () => {
      throw new Error("sync failure");
    };
    const { logger } = watcherWith(dataClient, sdk);
    expect(() => sdk.fire(loaded("911"))).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(logger.error).toHaveBeenCalled();
  });

  it("Watcher_LogLines_HoldNoPhoneNumber", async () => {
    const dataClient = orgWith({ start: new Error("callee +1 (206) 555-0100 busy") });
    const { watcher, logger } = watcherWith(dataClient);
    await watcher.handle(loaded("911"));
    // The watcher's own lines name no dialed number; the console logger redacts what an error message quotes.
    const lines = [...logger.error.mock.calls, ...logger.info.mock.calls].map(([line]) => String(line));
    expect(lines.some((line) => line.includes("911"))).toBe(false);
  });
});
