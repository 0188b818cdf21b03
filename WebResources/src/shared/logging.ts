/**
 * Phone numbers must never reach a log, and a server or network error message may quote one. Every log line our
 * scripts write goes through this: a run of 3 or more digits (with the +, spaces, dots, dashes and brackets numbers
 * are written with) becomes "[number]". Digits inside a word or a GUID (joined by letters or hyphens) are left alone,
 * so ids stay readable for diagnosis.
 */
export function redactPhoneNumbers(text: string): string {
  return text.replace(/(?<![0-9A-Za-z-])\+?\d(?:[\d ().-]*\d)?(?![0-9A-Za-z-])/g, (candidate) =>
    candidate.replace(/\D/g, "").length >= 3 ? "[number]" : candidate,
  );
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
