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

/** Calling codes of the default countries (US, PR, CA: 1; GB: 44; DK: 45), recognised after "+" even without a separator. */
export const KNOWN_CALLING_CODES: readonly string[] = ["1", "44", "45"];

const DIAL_GROUP_SEPARATORS = " -().+";

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

/**
 * The digit strings a dialed text can mean, the plain digits first, exactly as the server reads them
 * (Shared/Guards/EmergencyDialForms.cs): "+1 911" → "1911", "911"; "1-911" → "1911", "911"; "911#" → "911";
 * "+1911" → "1911", "911" (a known calling code); "1911" and "9112" stay themselves: digits that merely start or end
 * like an emergency number are an ordinary number.
 */
export function dialCandidates(dialed: string | null | undefined): string[] {
  if (!dialed) return [];
  const text = dialed.trim().replace(/[#* ]+$/, "");
  const groups: string[] = [];
  let current = "";
  let allDigits = "";
  for (const character of text) {
    if (character >= "0" && character <= "9") {
      current += character;
      allDigits += character;
    } else if (current.length > 0 && DIAL_GROUP_SEPARATORS.includes(character)) {
      groups.push(current);
      current = "";
    }
  }
  if (current.length > 0) groups.push(current);
  if (allDigits.length === 0) return [];
  const result = [allDigits];
  const add = (candidate: string): void => {
    if (candidate.length > 0 && !result.includes(candidate)) result.push(candidate);
  };
  const first = groups[0] ?? "";
  const startsWithPlus = text.startsWith("+");
  if (startsWithPlus && groups.length > 1 && first.length <= 3) {
    add(allDigits.substring(first.length)); // "+1 911", "+44-999": the first group is the calling code
  } else if (startsWithPlus && groups.length === 1) {
    for (const code of KNOWN_CALLING_CODES) {
      if (allDigits.length > code.length && allDigits.startsWith(code)) add(allDigits.substring(code.length)); // "+1911"
    }
  } else if (!startsWithPlus && groups.length > 1 && first === "1") {
    add(allDigits.substring(1)); // "1-911": the North American long-distance prefix as its own group
  }
  return result;
}

/** The emergency number a dialed text stands for in a country ("+1 911" → "911" in US), or null when it is none. */
export function emergencyNumberFor(
  numbers: EmergencyNumbers,
  countryCode: string | null | undefined,
  dialed: string | null | undefined,
): string | null {
  const country = normalizeCountry(countryCode);
  if (country === null || digitsOnly(dialed).length > MAX_EMERGENCY_DIAL_DIGITS) return null;
  const list = numbers[country] ?? [];
  return dialCandidates(dialed).find((candidate) => list.includes(candidate)) ?? null;
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
