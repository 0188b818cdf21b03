import { readAgentCountry, readEmergencyNumbers } from "../shared/agentContext";
import { readOpenOutboundVoiceConversation } from "../shared/conversations";
import type { DataClient } from "../shared/dataClient";
import { decideEmergencyDial, type EmergencyDial } from "../shared/emergencyNumbers";
import type { Logger } from "../shared/logging";

/** A manual start's request: the number and country, and the agent's open outbound voice conversation when there is one. */
export interface ManualDial extends EmergencyDial {
  /** The conversation the start is keyed by (ConversationId and IdempotencyKey), or null when the agent has none open. */
  readonly conversationId: string | null;
}

/**
 * "I am on an emergency call": the first emergency number of the agent's country (or, when the country is not known or
 * not configured, of the first configured country, sent with the country as known), and the agent's open outbound
 * voice conversation. Three reads at once. With a conversation, the start carries the same key as the dial watcher and
 * the server trigger, so pressing the button while they fire still makes one call.
 */
export async function resolveManualDial(
  dataClient: DataClient | null,
  userId: string | null,
  browserLanguages: readonly string[],
  logger: Logger,
): Promise<ManualDial> {
  if (dataClient === null) throw new Error("the Dataverse client API is not available");
  const [numbers, country, conversationId] = await Promise.all([
    readEmergencyNumbers(dataClient, logger),
    readAgentCountry(dataClient, userId, browserLanguages, logger),
    readOpenOutboundVoiceConversation(dataClient, userId, logger),
  ]);
  const ownNumber = country !== null ? numbers[country]?.[0] : undefined;
  const firstCountry = Object.keys(numbers)[0];
  const number = ownNumber ?? (firstCountry !== undefined ? numbers[firstCountry]?.[0] : undefined);
  const dial = number !== undefined ? decideEmergencyDial(numbers, country, number) : null;
  if (dial === null) throw new Error("no emergency number is configured");
  return { ...dial, conversationId };
}
