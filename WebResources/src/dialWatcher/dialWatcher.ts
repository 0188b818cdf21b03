import { readAgentCountry, readEmergencyNumbers } from "../shared/agentContext";
import { bareGuid, describeError, type DataClient } from "../shared/dataClient";
import { decideEmergencyDial, digitsOnly, MAX_EMERGENCY_DIAL_DIGITS, type EmergencyNumbers } from "../shared/emergencyNumbers";
import type { Logger } from "../shared/logging";
import type { PanelChannel } from "../shared/panelChannel";
import type { RetryDependencies } from "../shared/retry";
import { startEmergencyCallWithRetry } from "../panel/emergencyCallClient";
import type { ConversationLoadedEventData, StandaloneSdk } from "./contactCenterSdk";
import { isOutboundVoice } from "../shared/conversations";

export { channelValues, isOutboundVoice, VOICE_CHANNELS } from "../shared/conversations";

export const conversationQuery = "?$select=msdyn_isoutbound,msdyn_channel";

export type WatchOutcome =
  | "ignored-no-conversation"
  | "ignored-not-a-short-number"
  | "ignored-repeat"
  | "ignored-not-outbound-voice"
  | "ignored-not-an-emergency-number"
  | "started"
  | "start-failed";

export interface DialWatcherDependencies {
  /** Null when the Contact Center SDK is not on the page: the watcher then says so and listens to nothing. */
  readonly sdk: StandaloneSdk | null;
  readonly dataClient: DataClient | null;
  readonly userId: string | null;
  readonly browserLanguages: readonly string[];
  readonly logger: Logger;
  readonly retry: RetryDependencies;
  /** Opens (or brings forward) the emergency panel in the side pane. */
  readonly openPanel: (conversationId: string) => Promise<void>;
  readonly channel: PanelChannel | null;
}

export interface DialWatcher {
  /** True once the watcher listens to onConversationLoaded. */
  readonly listening: boolean;
  /** Handles one conversation-loaded event; never throws. Exposed for tests and for a host that forwards events. */
  handle(eventData: ConversationLoadedEventData): Promise<WatchOutcome>;
  /** Stops listening (removeEventHandlerById). */
  stop(): void;
}

/**
 * The client trigger of an emergency call. It listens to the Contact Center SDK's conversation-loaded event, which
 * carries the customer phone number: on an outbound voice conversation whose number is an emergency number for the
 * agent's country, it opens the panel and executes emc_StartEmergencyCall with the conversation's id as
 * ConversationId and IdempotencyKey, retrying with backoff and jitter. The server trigger on the same dial sends the
 * same key, so together they make one call.
 *
 * Cost: an event whose number is longer than any emergency dial (9 digits) costs nothing. A short number costs the
 * conversation, the emergency numbers and the agent's country (three reads at once, the last two once per page), then
 * Start. One call per dial even when the event repeats: a conversation is handled once per page, and a repeat that
 * reaches the server anyway carries the same key.
 */
export function createDialWatcher(dependencies: DialWatcherDependencies): DialWatcher {
  const { sdk, dataClient, userId, logger } = dependencies;
  const handled = new Map<string, WatchOutcome | "in-flight">();
  let numbers: Promise<EmergencyNumbers> | null = null;
  let country: Promise<string | null> | null = null;
  let handlerId: string | null = null;
  let listening = false;

  async function readConversation(client: DataClient, conversationId: string): Promise<boolean> {
    try {
      return isOutboundVoice(await client.retrieveRecord("msdyn_ocliveworkitem", conversationId, conversationQuery));
    } catch (error) {
      // Never block an emergency call on a failed read: an emergency number goes on as if outbound voice.
      logger.error(`could not read conversation ${conversationId} (${describeError(error)}); it is treated as an outbound call`);
      return true;
    }
  }

  function announce(message: Parameters<PanelChannel["postMessage"]>[0]): void {
    try {
      dependencies.channel?.postMessage(message);
    } catch (error) {
      logger.error(`could not tell the panel: ${describeError(error)}`);
    }
  }

  async function start(client: DataClient, conversationId: string, dialedNumber: string, countryCode: string): Promise<WatchOutcome> {
    announce({ type: "call-starting", conversationId });
    dependencies
      .openPanel(conversationId)
      .catch((error: unknown) => logger.error(`could not open the emergency panel: ${describeError(error)}`));
    try {
      const call = await startEmergencyCallWithRetry(
        client,
        dialedNumber,
        countryCode,
        { conversationId, idempotencyKey: conversationId },
        dependencies.retry,
        (error, attempt, delayMs) =>
          logger.error(
            `emc_StartEmergencyCall attempt ${attempt} for conversation ${conversationId} failed (${describeError(error)}); retry in ${delayMs} ms`,
          ),
      );
      logger.info(`emergency call ${call.emergencyCallId ?? "(no id)"} registered for conversation ${conversationId}`);
      announce({ type: "call-registered", conversationId, emergencyCallId: call.emergencyCallId });
      return "started";
    } catch (error) {
      const message = describeError(error);
      logger.error(`emc_StartEmergencyCall failed for conversation ${conversationId}: ${message}`);
      announce({ type: "call-failed", conversationId, error: message });
      return "start-failed";
    }
  }

  async function handleUnsafe(eventData: ConversationLoadedEventData): Promise<WatchOutcome> {
    const conversationId = typeof eventData?.liveWorkItemId === "string" ? bareGuid(eventData.liveWorkItemId) : "";
    if (conversationId === "" || dataClient === null) return "ignored-no-conversation";
    const digits = digitsOnly(eventData.customerPhoneNumber);
    if (digits.length === 0 || digits.length > MAX_EMERGENCY_DIAL_DIGITS) return "ignored-not-a-short-number";
    if (handled.has(conversationId)) return "ignored-repeat";
    handled.set(conversationId, "in-flight");

    numbers ??= readEmergencyNumbers(dataClient, logger);
    country ??= readAgentCountry(dataClient, userId, dependencies.browserLanguages, logger);
    const [outboundVoice, configured, agentCountry] = await Promise.all([readConversation(dataClient, conversationId), numbers, country]);

    let outcome: WatchOutcome;
    if (!outboundVoice) {
      outcome = "ignored-not-outbound-voice";
    } else {
      const dial = decideEmergencyDial(configured, agentCountry, eventData.customerPhoneNumber);
      if (dial === null) {
        outcome = "ignored-not-an-emergency-number";
      } else {
        logger.info(`conversation ${conversationId}: an emergency number was dialed (country ${dial.countryCode || "unknown"})`);
        outcome = await start(dataClient, conversationId, dial.dialedNumber, dial.countryCode);
      }
    }
    // A failed start may be tried again by a repeat of the event (same key: still one call); anything else is final.
    if (outcome === "start-failed") handled.delete(conversationId);
    else handled.set(conversationId, outcome);
    return outcome;
  }

  const watcher: DialWatcher = {
    get listening() {
      return listening;
    },
    async handle(eventData) {
      try {
        return await handleUnsafe(eventData);
      } catch (error) {
        logger.error(`the emergency dial watcher failed on an event: ${describeError(error)}`);
        return "start-failed";
      }
    },
    stop() {
      try {
        if (handlerId !== null) sdk?.utility?.removeEventHandlerById(handlerId);
      } catch (error) {
        logger.error(`could not remove the conversation-loaded handler: ${describeError(error)}`);
      }
      handlerId = null;
      listening = false;
    },
  };

  if (sdk === null) {
    logger.error(
      "the Contact Center SDK (Microsoft.CCaaS.StandaloneSDK) is not on this page, so dialed emergency numbers are not seen here; " +
        "the server trigger and the panel's manual start still work",
    );
  } else if (dataClient === null) {
    logger.error("the Dataverse client API (Xrm.WebApi) is not on this page; the emergency dial watcher cannot start calls");
  } else {
    try {
      const id = sdk.conversation.onConversationLoaded((eventData) => void watcher.handle(eventData));
      handlerId = typeof id === "string" ? id : null;
      listening = true;
    } catch (error) {
      logger.error(`could not subscribe to onConversationLoaded: ${describeError(error)}`);
    }
  }
  return watcher;
}
