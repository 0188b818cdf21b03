import { bareGuid, describeError, type DataClient } from "./dataClient";
import { DEFAULT_EMERGENCY_NUMBERS, normalizeCountry, parseEmergencyNumbers, type EmergencyNumbers } from "./emergencyNumbers";
import type { Logger } from "./logging";

/**
 * What the client needs to know before it starts an emergency call: the org's emergency numbers and the agent's
 * country. Both are read only when a dialed number could be an emergency number, so an ordinary call costs nothing.
 */

export const EMERGENCY_NUMBERS_VARIABLE = "emc_EmergencyNumbers";

export const emergencyNumbersQuery =
  "?$select=schemaname,defaultvalue" +
  `&$filter=schemaname eq '${EMERGENCY_NUMBERS_VARIABLE}'` +
  "&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)";

/**
 * emc_EmergencyNumbers as the server reads it: the current value wins over the default value. One round trip. A value
 * that cannot be read or parsed falls back to the shipped default (the server does the same and reports the value).
 */
export async function readEmergencyNumbers(dataClient: DataClient, logger: Logger): Promise<EmergencyNumbers> {
  try {
    const result = await dataClient.retrieveMultipleRecords("environmentvariabledefinition", emergencyNumbersQuery);
    const definition = result.entities[0];
    const values = definition?.["environmentvariabledefinition_environmentvariablevalue"];
    const current = Array.isArray(values)
      ? (values as Array<Record<string, unknown>>).find((row) => typeof row["value"] === "string")?.["value"]
      : undefined;
    const text = typeof current === "string" && current.trim() !== "" ? current : definition?.["defaultvalue"];
    const parsed = parseEmergencyNumbers(typeof text === "string" ? text : null);
    if (parsed !== null) return parsed;
    if (definition !== undefined) logger.error(`${EMERGENCY_NUMBERS_VARIABLE} is not usable; the shipped default list is used`);
  } catch (error) {
    logger.error(`could not read ${EMERGENCY_NUMBERS_VARIABLE} (${describeError(error)}); the shipped default list is used`);
  }
  return DEFAULT_EMERGENCY_NUMBERS;
}

/** The agent's Omnichannel Phone (systemuser.msdyn_phonenumberid) and the country of that number. */
export const agentCountryQuery = "?$select=_msdyn_phonenumberid_value&$expand=msdyn_phonenumberid($select=msdyn_countryisocode)";

/** The region of a browser language tag ("en-US" → "US"), or null when the tag names none. */
export function regionOfLanguageTag(tag: string): string | null {
  const parts = tag.split(/[-_]/);
  for (const part of parts.slice(1)) {
    const country = normalizeCountry(part);
    if (country !== null && part.length === 2) return country;
  }
  return null;
}

/**
 * The agent's country, best source first: the country of the agent's Omnichannel Phone number
 * (msdyn_ocphonenumber.msdyn_countryisocode, one round trip); otherwise the region of the browser's language
 * (navigator.languages, a weaker hint: an agent may run an en-US browser anywhere); otherwise null.
 */
export async function readAgentCountry(
  dataClient: DataClient,
  userId: string | null,
  browserLanguages: readonly string[],
  logger: Logger,
): Promise<string | null> {
  if (userId !== null) {
    try {
      const user = await dataClient.retrieveRecord("systemuser", bareGuid(userId), agentCountryQuery);
      const phone = user["msdyn_phonenumberid"] as Record<string, unknown> | null | undefined;
      const country = normalizeCountry(typeof phone?.["msdyn_countryisocode"] === "string" ? phone["msdyn_countryisocode"] : null);
      if (country !== null) return country;
    } catch (error) {
      logger.error(`could not read the country of the agent's Omnichannel Phone (${describeError(error)}); the browser language is used`);
    }
  }
  for (const tag of browserLanguages) {
    const country = regionOfLanguageTag(tag);
    if (country !== null) return country;
  }
  return null;
}
