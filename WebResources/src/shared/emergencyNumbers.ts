/**
 * Which dialed numbers are emergency numbers, by country: the client's copy of the server's rules
 * (Shared/Configuration/EmergencyConfiguration.cs), read from the same environment variable emc_EmergencyNumbers and
 * checked against the shared cases in Tests/vectors/emergency-dial.json.
 */

/** The shipped default of emc_EmergencyNumbers, as in the environment variable definition and the server. */
export const DEFAULT_EMERGENCY_NUMBERS: Readonly<Record<string, readonly string[]>> = {
  US: ["911"],
  PR: ["911"],
  CA: ["911"],
  GB: ["999", "112", "911"],
  DK: ["112", "911"],
};

/** Emergency numbers are short codes (the server refuses longer ones in the variable). */
export const MAX_EMERGENCY_NUMBER_DIGITS = 6;

/**
 * Country calling codes of the countries the defaults name, so "+1 911" and "1-911" (a carrier's or a person's way of
 * writing 911) are recognised as well. A configured country missing here matches its numbers exactly only.
 */
export const COUNTRY_CALLING_CODES: Readonly<Record<string, string>> = { US: "1", PR: "1", CA: "1", GB: "44", DK: "45" };

/** The longest dialed form worth checking: a calling code of up to 3 digits and a number of up to 6. */
export const MAX_EMERGENCY_DIAL_DIGITS = 3 + MAX_EMERGENCY_NUMBER_DIGITS;

export type EmergencyNumbers = Readonly<Record<string, readonly string[]>>;

/** ASCII digits only, as the server reduces a dialed number ("9-1-1" → "911", "911#" → "911"). */
export function digitsOnly(value: string | null | undefined): string {
  if (!value) return "";
  let digits = "";
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) digits += value.charAt(index);
  }
  return digits;
}

/** Upper-case two-letter code, or null when the text is not one (as the server's NormalizeCountry). */
export function normalizeCountry(countryCode: string | null | undefined): string | null {
  if (typeof countryCode !== "string") return null;
  const code = countryCode.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) ? code : null;
}

/**
 * Parses the value of emc_EmergencyNumbers ({"CC":["digits",...],...}). Returns null when the text is not exactly that
 * shape, so the caller falls back to the defaults as the server does (and the server reports the bad value).
 */
export function parseEmergencyNumbers(json: string | null | undefined): EmergencyNumbers | null {
  if (typeof json !== "string" || json.trim() === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const result: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const country = normalizeCountry(key);
    if (country === null || country in result || !Array.isArray(value) || value.length === 0) return null;
    const numbers: string[] = [];
    for (const item of value) {
      if (typeof item !== "string") return null;
      const number = item.trim();
      if (number.length === 0 || number.length > MAX_EMERGENCY_NUMBER_DIGITS || digitsOnly(number) !== number) return null;
      if (!numbers.includes(number)) numbers.push(number);
    }
    result[country] = numbers;
  }
  return Object.keys(result).length > 0 ? result : null;
}

/** The emergency number a dialed text stands for in a country ("+1 911" → "911" in US), or null when it is none. */
export function emergencyNumberFor(
  numbers: EmergencyNumbers,
  countryCode: string | null | undefined,
  dialed: string | null | undefined,
): string | null {
  const country = normalizeCountry(countryCode);
  const digits = digitsOnly(dialed);
  if (country === null || digits.length === 0 || digits.length > MAX_EMERGENCY_DIAL_DIGITS) return null;
  const list = numbers[country] ?? [];
  if (list.includes(digits)) return digits;
  const callingCode = COUNTRY_CALLING_CODES[country];
  if (callingCode !== undefined && digits.startsWith(callingCode)) {
    const local = digits.substring(callingCode.length);
    if (list.includes(local)) return local;
  }
  return null;
}

/** The countries in which the dialed text is an emergency number, in the order the configuration lists them. */
export function countriesWhereEmergency(numbers: EmergencyNumbers, dialed: string | null | undefined): string[] {
  return Object.keys(numbers).filter((country) => emergencyNumberFor(numbers, country, dialed) !== null);
}

/** What to send to emc_StartEmergencyCall for a dial that is an emergency call. */
export interface EmergencyDial {
  /** The agent's country as known (upper case), or "" when it is not known. */
  readonly countryCode: string;
  /** The emergency number the dialed text stands for ("+1 911" → "911"). */
  readonly dialedNumber: string;
}

/**
 * Decides whether a dial is an emergency call. In a configured country, only that country's numbers count (a US agent
 * dialing 999 is not calling emergency services). When the agent's country is not known or not configured, a number
 * that is an emergency number in any configured country counts: a missed emergency call costs more than a needless
 * record, and the server records such a call with a warning instead of refusing it.
 */
export function decideEmergencyDial(
  numbers: EmergencyNumbers,
  agentCountry: string | null,
  dialed: string | null | undefined,
): EmergencyDial | null {
  const country = normalizeCountry(agentCountry);
  if (country !== null && country in numbers) {
    const number = emergencyNumberFor(numbers, country, dialed);
    return number === null ? null : { countryCode: country, dialedNumber: number };
  }
  const [anyCountry] = countriesWhereEmergency(numbers, dialed);
  if (anyCountry === undefined) return null;
  const number = emergencyNumberFor(numbers, anyCountry, dialed);
  return number === null ? null : { countryCode: country ?? "", dialedNumber: number };
}
