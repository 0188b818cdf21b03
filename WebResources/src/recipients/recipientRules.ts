/**
 * The recipient rules for systemuser.msdyn_emergencyemailrecipients (Emergency Call Notifications), as written in
 * Tests/vectors/recipients.json. The server plugin (Shared/Recipients/RecipientList.cs) is the authority; this copy
 * exists so an admin sees every problem while typing, and both are tested against the same vectors so they cannot drift.
 */

export const MAX_RECIPIENTS = 50;
export const MAX_NORMALIZED_LENGTH = 4000;
export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_ADDRESS_LENGTH = 254;
export const MAX_DOMAIN_LABEL_LENGTH = 63;

export type RecipientErrorCode =
  | "unclosed-quote"
  | "invalid-character"
  | "missing-at"
  | "multiple-at"
  | "empty-local-part"
  | "local-part-too-long"
  | "invalid-local-part"
  | "address-too-long"
  | "invalid-domain"
  | "too-many-recipients"
  | "value-too-long";

export interface RecipientError {
  /** The address as trimmed and extracted from a display-name paste; null for a problem with the whole list. */
  readonly entry: string | null;
  readonly code: RecipientErrorCode;
  /** Plain English that names the entry, for the admin who typed it. */
  readonly message: string;
}

export interface RecipientListResult {
  readonly isValid: boolean;
  /** Unique valid addresses joined with ";" ("" for an empty list, and "" when the list is rejected). */
  readonly normalized: string;
  /** The unique valid addresses in input order, also when other entries are bad. */
  readonly addresses: readonly string[];
  readonly errors: readonly RecipientError[];
}

// The unquoted local-part characters (RFC 5322 atext plus the dot) that mail systems accept in practice.
const LOCAL_PART_SYMBOLS = "!#$%&'*+/=?^_`{|}~.-";

/**
 * Unicode White_Space, which is exactly what .NET's char.IsWhiteSpace and string.Trim() use. JavaScript's trim() also
 * strips U+FEFF, so the rules trim with this set instead, to agree with the server character for character.
 */
export function isRuleWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

export function trimRuleWhitespace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isRuleWhitespace(text.charCodeAt(start))) start++;
  while (end > start && isRuleWhitespace(text.charCodeAt(end - 1))) end--;
  return text.substring(start, end);
}

/**
 * Splits on ; , CR and LF, except ; and , between double quotes, so `"Doe, John" <j@x.com>` stays one entry. A quote
 * never reaches past the end of its line: CR and LF end the entry and the quote with it.
 */
export function splitEntries(raw: string): string[] {
  const entries: string[] = [];
  let current = "";
  let insideQuotes = false;
  const finishEntry = (): void => {
    const trimmed = trimRuleWhitespace(current);
    current = "";
    insideQuotes = false;
    if (trimmed.length > 0) entries.push(trimmed);
  };
  for (const character of raw) {
    if (character === '"') {
      insideQuotes = !insideQuotes;
      current += character;
    } else if (character === "\r" || character === "\n" || (!insideQuotes && (character === ";" || character === ","))) {
      finishEntry();
    } else {
      current += character;
    }
  }
  finishEntry();
  return entries;
}

/**
 * An entry whose double quotes do not pair up holds a quote that was never closed: it has swallowed every separator
 * after it on its line, so the addresses there cannot be told apart. Each quote toggles, so an odd count means open.
 */
export function hasUnclosedQuote(entry: string): boolean {
  let quotes = 0;
  for (let index = 0; index < entry.length; index++) if (entry.charCodeAt(index) === 0x22) quotes++;
  return quotes % 2 === 1;
}

/** `Display Name <address>` keeps the address between the last "<" and the ">" after it; anything else is the address. */
export function extractAddress(entry: string): string {
  const open = entry.lastIndexOf("<");
  if (open < 0) return entry;
  const close = entry.indexOf(">", open + 1);
  if (close < 0) return entry;
  return trimRuleWhitespace(entry.substring(open + 1, close));
}

const UNCLOSED_QUOTE_REASON =
  'it has a double quote (") that is never closed, so the entries after it on the same line cannot be told apart; close the quote or remove it';

interface Failure {
  readonly code: RecipientErrorCode;
  readonly reason: string;
}

function isAsciiLetter(character: string): boolean {
  return (character >= "a" && character <= "z") || (character >= "A" && character <= "Z");
}

function isAsciiLetterOrDigit(character: string): boolean {
  return isAsciiLetter(character) || (character >= "0" && character <= "9");
}

function hasInvalidCharacter(address: string): boolean {
  for (let index = 0; index < address.length; index++) {
    const code = address.charCodeAt(index);
    if (isRuleWhitespace(code) || code <= 0x1f || code === 0x7f || code === 0x3c /* < */ || code === 0x3e /* > */) {
      return true;
    }
  }
  return false;
}

function isValidLocalPart(localPart: string): boolean {
  if (localPart.startsWith(".") || localPart.endsWith(".") || localPart.includes("..")) return false;
  // Indexing by UTF-16 unit on purpose: a surrogate half is neither a letter nor a symbol, so it fails like C# does.
  for (let index = 0; index < localPart.length; index++) {
    const character = localPart.charAt(index);
    if (!isAsciiLetterOrDigit(character) && !LOCAL_PART_SYMBOLS.includes(character)) return false;
  }
  return true;
}

function isValidDomain(domain: string): boolean {
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_DOMAIN_LABEL_LENGTH || label.startsWith("-") || label.endsWith("-")) {
      return false;
    }
    for (let index = 0; index < label.length; index++) {
      const character = label.charAt(index);
      if (!isAsciiLetterOrDigit(character) && character !== "-") return false;
    }
  }
  const topLevel = labels[labels.length - 1] ?? "";
  if (topLevel.length < 2) return false;
  for (let index = 0; index < topLevel.length; index++) {
    if (!isAsciiLetter(topLevel.charAt(index))) return false;
  }
  return true;
}

/** The first rule an address breaks, in the order of the shared rules, or null when it is a valid mailbox. */
export function findFirstFailure(address: string): Failure | null {
  if (hasInvalidCharacter(address)) {
    return { code: "invalid-character", reason: "it contains a space, a control character or an angle bracket" };
  }
  const at = address.indexOf("@");
  if (at < 0) return { code: "missing-at", reason: "it has no @" };
  if (address.indexOf("@", at + 1) >= 0) return { code: "multiple-at", reason: "it has more than one @" };
  const localPart = address.substring(0, at);
  const domain = address.substring(at + 1);
  if (localPart.length === 0) return { code: "empty-local-part", reason: "there is nothing before the @" };
  if (localPart.length > MAX_LOCAL_PART_LENGTH) {
    return {
      code: "local-part-too-long",
      reason: `the part before the @ is longer than ${MAX_LOCAL_PART_LENGTH} characters`,
    };
  }
  if (!isValidLocalPart(localPart)) {
    return {
      code: "invalid-local-part",
      reason: `the part before the @ may only hold letters A-Z, digits and ${LOCAL_PART_SYMBOLS}, and no leading, trailing or double dot`,
    };
  }
  if (address.length > MAX_ADDRESS_LENGTH) {
    return { code: "address-too-long", reason: `the address is longer than ${MAX_ADDRESS_LENGTH} characters` };
  }
  if (!isValidDomain(domain)) {
    return {
      code: "invalid-domain",
      reason: domain.includes(".")
        ? "the domain must be dot-separated labels of letters, digits and hyphens, ending in a top-level domain of two or more letters"
        : "the domain must contain a dot",
    };
  }
  return null;
}

/** Applies every rule; see Tests/vectors/recipients.json for the rules in prose and the cases. */
export function normalizeRecipients(raw: string | null | undefined): RecipientListResult {
  const errors: RecipientError[] = [];
  const addresses: string[] = [];
  if (raw === null || raw === undefined || trimRuleWhitespace(raw).length === 0) {
    return { isValid: true, normalized: "", addresses, errors };
  }

  const seenLowerCase = new Set<string>();
  for (const entry of splitEntries(raw)) {
    if (hasUnclosedQuote(entry)) {
      errors.push({ entry, code: "unclosed-quote", message: `"${entry}" — ${UNCLOSED_QUOTE_REASON}` });
      continue;
    }
    const address = extractAddress(entry);
    const failure = findFirstFailure(address);
    if (failure !== null) {
      errors.push({ entry: address, code: failure.code, message: `"${address}" — ${failure.reason}` });
      continue;
    }
    // Valid addresses are ASCII only, so lower-casing is the same as .NET's OrdinalIgnoreCase here.
    const key = address.toLowerCase();
    if (!seenLowerCase.has(key)) {
      seenLowerCase.add(key);
      addresses.push(address);
    }
  }

  const normalized = addresses.join(";");
  if (addresses.length > MAX_RECIPIENTS) {
    errors.push({
      entry: null,
      code: "too-many-recipients",
      message: `There are ${addresses.length} recipients; at most ${MAX_RECIPIENTS} are allowed.`,
    });
  }
  if (normalized.length > MAX_NORMALIZED_LENGTH) {
    errors.push({
      entry: null,
      code: "value-too-long",
      message: `The list is ${normalized.length} characters long once saved; at most ${MAX_NORMALIZED_LENGTH} are allowed.`,
    });
  }

  return errors.length === 0 ? { isValid: true, normalized, addresses, errors } : { isValid: false, normalized: "", addresses, errors };
}
