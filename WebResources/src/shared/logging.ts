/** Characters that may sit inside a written number between its digits. */
function isNumberInner(code: number): boolean {
  return (
    isAsciiDigit(code) || code === 0x20 || code === 0x28 /* ( */ || code === 0x29 /* ) */ || code === 0x2e /* . */ || code === 0x2d
  ); /* - */
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** A digit, an ASCII letter or a hyphen: what joins digits into a word or a GUID rather than a number. */
function isWordJoiner(code: number): boolean {
  return isAsciiDigit(code) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x2d;
}

/** Counts the characters the redactor looked at, so a test can prove it linear without timing it. */
export interface RedactionStats {
  characterVisits: number;
}

/**
 * Phone numbers must never reach a log, and a server or network error message may quote one. Every log line our
 * scripts write goes through this: a run of 3 or more digits (with the +, spaces, dots, dashes and brackets numbers
 * are written with) becomes "[number]". Digits inside a word or a GUID (joined by letters or hyphens) are left alone,
 * so ids stay readable for diagnosis.
 *
 * A candidate starts at a digit (or a "+" and a digit) that no letter, digit or hyphen precedes, and ends at the LAST
 * digit of its run of number characters that no letter, digit or hyphen follows. One pass: each run of number
 * characters is scanned once (a regular expression with that meaning backtracks, and 64k characters took seconds).
 */
export function redactPhoneNumbers(text: string, stats?: RedactionStats): string {
  const length = text.length;
  let output = "";
  let copiedUpTo = 0;
  let visits = 0;
  let index = 0;
  while (index < length) {
    visits++;
    const code = text.charCodeAt(index);
    const digitStart = code === 0x2b /* + */ && index + 1 < length && isAsciiDigit(text.charCodeAt(index + 1)) ? index + 1 : index;
    if (!isAsciiDigit(text.charCodeAt(digitStart)) || (index > 0 && isWordJoiner(text.charCodeAt(index - 1)))) {
      index++;
      continue;
    }
    // Walk the run of number characters once, remembering the last digit that ends a number (not followed by a
    // letter, digit or hyphen). Nothing later in this run can start a number that ends anywhere else.
    let runEnd = digitStart;
    let lastEnd = -1;
    let digitsSeen = 0;
    let digitsToLastEnd = 0;
    while (runEnd < length && isNumberInner(text.charCodeAt(runEnd))) {
      visits++;
      if (isAsciiDigit(text.charCodeAt(runEnd))) {
        digitsSeen++;
        if (runEnd + 1 >= length || !isWordJoiner(text.charCodeAt(runEnd + 1))) {
          lastEnd = runEnd;
          digitsToLastEnd = digitsSeen;
        }
      }
      runEnd++;
    }
    if (lastEnd >= 0 && digitsToLastEnd >= 3) {
      output += text.substring(copiedUpTo, index) + "[number]";
      copiedUpTo = lastEnd + 1;
    }
    index = runEnd;
  }
  if (stats) stats.characterVisits += visits;
  return copiedUpTo === 0 ? text : output + text.substring(copiedUpTo);
}

export interface Logger {
  error(message: string): void;
  info(message: string): void;
}

/** The browser console, prefixed so our lines are easy to find, and redacted. */
export function consoleLogger(prefix: string): Logger {
  return {
    error: (message) => console.error(`${prefix}: ${redactPhoneNumbers(message)}`),
    info: (message) => console.info(`${prefix}: ${redactPhoneNumbers(message)}`),
  };
}
