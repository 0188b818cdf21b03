import { bareGuid, describeError, type DataClient } from "./dataClient";
import type { Logger } from "./logging";

/** msdyn_streamsource values of a voice conversation: Voice and Voice call (as the server's ConversationKind). */
export const VOICE_CHANNELS = [192370000, 192440000] as const;

/** msdyn_channel is a multi-select choice: the Web API answers "192370000" or "192370000,192440000" (or a number). */
export function channelValues(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (typeof value !== "string") return [];
  return value
    .split(",")
    .map((part) => Number(part.trim()))
    .filter((part) => Number.isInteger(part));
}

export function isOutboundVoice(conversation: Record<string, unknown>): boolean {
  return (
    conversation["msdyn_isoutbound"] === true &&
    channelValues(conversation["msdyn_channel"]).some((channel) => (VOICE_CHANNELS as readonly number[]).includes(channel))
  );
}

/** The agent's newest open (statecode 0) outbound conversation; the channel is checked on the answer. */
export function openOutboundConversationQuery(userId: string): string {
  return (
    "?$select=activityid,msdyn_isoutbound,msdyn_channel" +
    `&$filter=_msdyn_activeagentid_value eq ${bareGuid(userId)} and msdyn_isoutbound eq true and statecode eq 0` +
    "&$orderby=createdon desc&$top=1"
  );
}

/**
 * The id of the agent's open outbound voice conversation (one round trip), or null when there is none or it cannot be
 * read. The manual start keys itself by it, as the dial watcher and the server trigger do, so a manual start pressed
 * while the others fire makes the same one call.
 */
export async function readOpenOutboundVoiceConversation(
  dataClient: DataClient,
  userId: string | null,
  logger: Logger,
): Promise<string | null> {
  if (userId === null) return null;
  try {
    const result = await dataClient.retrieveMultipleRecords("msdyn_ocliveworkitem", openOutboundConversationQuery(userId));
    const conversation = result.entities[0];
    const id = conversation?.["activityid"];
    return conversation !== undefined && isOutboundVoice(conversation) && typeof id === "string" ? bareGuid(id) : null;
  } catch (error) {
    logger.error(`could not read the agent's open outbound conversation (${describeError(error)}); the start gets a key of its own`);
    return null;
  }
}
