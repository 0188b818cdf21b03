import { bareGuid, createCustomApiRequest, type DataClient, type ExecuteResponseLike } from "../shared/dataClient";
import { isRetryableStartError, retryWithBackoff, START_RETRY_POLICY, type RetryDependencies, type RetryPolicy } from "../shared/retry";
import { callFromActiveRecord, callFromStartResponse, type EmergencyCall } from "./panelState";

/** What a caller passes beside the number and country; every field is optional on the custom API. */
export interface StartEmergencyCallOptions {
  readonly conversationId?: string;
  /**
   * One key per dial, the same on every retry: Start makes one call per key, so retries (and a second trigger of the
   * same dial) never make a second call. The client watcher uses the conversation id; a manual start a random Guid.
   */
  readonly idempotencyKey?: string;
  readonly originNumberType?: string;
  readonly location?: string;
}

export function activeCallQuery(userId: string): string {
  return (
    "?$select=emc_emergencycallid,emc_callbackexpireson,emc_countrycode,emc_originpath,emc_callbackdetails" +
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
    IdempotencyKey: { typeName: "Edm.Guid", value: options.idempotencyKey ? bareGuid(options.idempotencyKey) : undefined },
    OriginNumberType: { typeName: "Edm.String", value: options.originNumberType },
    Location: { typeName: "Edm.String", value: options.location },
  });
}

/** Executes emc_StartEmergencyCall once. One round trip. */
export async function startEmergencyCall(
  dataClient: DataClient,
  dialedNumber: string,
  countryCode: string,
  options: StartEmergencyCallOptions = {},
): Promise<EmergencyCall> {
  const response = await dataClient.online.execute(startEmergencyCallRequest(dialedNumber, countryCode, options));
  return callFromStartResponse(await readBody(response, "emc_StartEmergencyCall"), countryCode);
}

/**
 * Executes emc_StartEmergencyCall until it answers, with backoff and jitter, the same request (and so the same
 * IdempotencyKey) every time: however many attempts it takes, the server makes one call. A refusal of the input is
 * final at once. One round trip per attempt.
 */
export function startEmergencyCallWithRetry(
  dataClient: DataClient,
  dialedNumber: string,
  countryCode: string,
  options: StartEmergencyCallOptions & { readonly idempotencyKey: string },
  dependencies: RetryDependencies,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
  policy: RetryPolicy = START_RETRY_POLICY,
): Promise<EmergencyCall> {
  return retryWithBackoff(
    () => startEmergencyCall(dataClient, dialedNumber, countryCode, options),
    policy,
    dependencies,
    isRetryableStartError,
    onRetry,
  );
}

export function endEmergencyCallRequest(emergencyCallId: string) {
  return createCustomApiRequest("emc_EndEmergencyCall", 0, {
    EmergencyCallId: { typeName: "Edm.Guid", value: bareGuid(emergencyCallId) },
  });
}

/**
 * Executes emc_EndEmergencyCall. The server puts the agent's presence back (through Microsoft's presence API, after
 * the agent's last emergency call ends), so the panel has nothing to apply on the client.
 */
export async function endEmergencyCall(dataClient: DataClient, emergencyCallId: string): Promise<void> {
  const response = await dataClient.online.execute(endEmergencyCallRequest(emergencyCallId));
  await readBody(response, "emc_EndEmergencyCall");
}
