import { bareGuid, createCustomApiRequest, type DataClient, type ExecuteResponseLike } from "../shared/dataClient";
import { callFromActiveRecord, callFromStartResponse, type EmergencyCall } from "./panelState";

/** What the dialer passes beside the number and country; every field is optional on the custom API. */
export interface StartEmergencyCallOptions {
  readonly conversationId?: string;
  readonly originNumberType?: string;
  readonly location?: string;
}

/** The CIF 2.0 surface the panel uses (Microsoft.CIFramework), present only inside a channel-integrated app. */
export interface CiFrameworkLike {
  /** CIF answers with a promise; anything else is awaited as a plain value. */
  setPresence(presenceText: string): unknown;
}

export function activeCallQuery(userId: string): string {
  return (
    "?$select=emc_emergencycallid,emc_callbackexpireson,emc_countrycode" +
    "&$expand=emc_callbacknumberid($select=emc_number)" +
    `&$filter=_emc_agentid_value eq ${bareGuid(userId)} and statecode eq 0` +
    "&$orderby=emc_startedon desc&$top=1"
  );
}

/** The current user's active emergency call, if any. One round trip. */
export async function findActiveEmergencyCall(dataClient: DataClient, userId: string): Promise<EmergencyCall | null> {
  const result = await dataClient.retrieveMultipleRecords("emc_emergencycall", activeCallQuery(userId));
  const record = result.entities[0];
  return record ? callFromActiveRecord(record) : null;
}

async function readBody(response: ExecuteResponseLike, operationName: string): Promise<Record<string, unknown>> {
  if (!response.ok) throw new Error(`${operationName} answered with status ${response.status ?? "unknown"}`);
  const body = await response.json();
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
}

export function startEmergencyCallRequest(dialedNumber: string, countryCode: string, options: StartEmergencyCallOptions = {}) {
  return createCustomApiRequest("emc_StartEmergencyCall", 0, {
    DialedNumber: { typeName: "Edm.String", value: dialedNumber },
    CountryCode: { typeName: "Edm.String", value: countryCode },
    ConversationId: { typeName: "Edm.Guid", value: options.conversationId ? bareGuid(options.conversationId) : undefined },
    OriginNumberType: { typeName: "Edm.String", value: options.originNumberType },
    Location: { typeName: "Edm.String", value: options.location },
  });
}

/** Executes emc_StartEmergencyCall. One round trip. */
export async function startEmergencyCall(
  dataClient: DataClient,
  dialedNumber: string,
  countryCode: string,
  options: StartEmergencyCallOptions = {},
): Promise<EmergencyCall> {
  const response = await dataClient.online.execute(startEmergencyCallRequest(dialedNumber, countryCode, options));
  return callFromStartResponse(await readBody(response, "emc_StartEmergencyCall"), countryCode);
}

export function endEmergencyCallRequest(emergencyCallId: string) {
  return createCustomApiRequest("emc_EndEmergencyCall", 0, {
    EmergencyCallId: { typeName: "Edm.Guid", value: bareGuid(emergencyCallId) },
  });
}

/** Executes emc_EndEmergencyCall and returns the presence the server restored (null when there was none). */
export async function endEmergencyCall(dataClient: DataClient, emergencyCallId: string): Promise<string | null> {
  const response = await dataClient.online.execute(endEmergencyCallRequest(emergencyCallId));
  const body = await readBody(response, "emc_EndEmergencyCall");
  const restored = body["RestoredPresenceId"];
  return typeof restored === "string" && restored.length > 0 ? bareGuid(restored) : null;
}

/**
 * Applies the restored presence on the client: the presence service only follows CIF's setPresence, which takes the
 * presence TEXT, so the id from the server is turned into its msdyn_presencestatustext first. Returns what was set.
 */
export async function applyRestoredPresence(
  dataClient: DataClient,
  ciFramework: CiFrameworkLike | null,
  presenceId: string,
): Promise<string | null> {
  if (ciFramework === null) return null;
  const presence = await dataClient.retrieveRecord("msdyn_presence", presenceId, "?$select=msdyn_presencestatustext");
  const text = presence["msdyn_presencestatustext"];
  if (typeof text !== "string" || text.length === 0) throw new Error("the restored presence has no status text");
  await ciFramework.setPresence(text);
  return text;
}

/** Base presence status "Busy - DND" (msdyn_basepresencestatus), the one the server's presence follow-up applies too. */
export const DO_NOT_DISTURB_BASE_STATUS = 192360002;

export const doNotDisturbPresenceQuery = `?$select=msdyn_presencestatustext&$filter=msdyn_basepresencestatus eq ${DO_NOT_DISTURB_BASE_STATUS}&$top=1`;

/**
 * Switches the agent to Do not disturb on the client right after a start. The presence service follows only CIF's
 * setPresence, which takes the presence TEXT, so one query finds the text of a DND presence first. Without CIF it
 * costs no round trip and returns null (the server's asynchronous follow-up is then the only switch). Returns what was
 * set; throws when there is no DND presence or CIF refuses, and the caller turns that into a note.
 */
export async function applyDoNotDisturbPresence(dataClient: DataClient, ciFramework: CiFrameworkLike | null): Promise<string | null> {
  if (ciFramework === null) return null;
  const result = await dataClient.retrieveMultipleRecords("msdyn_presence", doNotDisturbPresenceQuery);
  const text = result.entities[0]?.["msdyn_presencestatustext"];
  if (typeof text !== "string" || text.length === 0) {
    throw new Error(`no presence with base status Do not disturb (${DO_NOT_DISTURB_BASE_STATUS}) has a status text`);
  }
  await ciFramework.setPresence(text);
  return text;
}
