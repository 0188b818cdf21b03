import { describe, expect, it, vi } from "vitest";
import { consoleLogger, redactPhoneNumbers } from "../../src/shared/logging";

describe("log redaction", () => {
  it("RedactPhoneNumbers_EmergencyAndE164Numbers_AreReplaced", () => {
    expect(redactPhoneNumbers("dialed 911 then +1 (206) 555-0100 and +4420 7946 0958.")).toBe(
      "dialed [number] then [number] and [number].",
    );
  });

  it("RedactPhoneNumbers_Guids_StayReadable", () => {
    const text = "call 5c4b3a29-1807-4f6e-9d5c-4b3a29180706 failed with status 500";
    expect(redactPhoneNumbers(text)).toBe("call 5c4b3a29-1807-4f6e-9d5c-4b3a29180706 failed with status [number]");
  });

  it("RedactPhoneNumbers_ShortNumbers_AreKept", () => {
    expect(redactPhoneNumbers("retry 2 of 10")).toBe("retry 2 of 10");
  });

  it("ConsoleLogger_MessageWithNumber_WritesItRedacted", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    consoleLogger("EmergencySolution test").error("callback +12065550100 not leased");
    expect(error).toHaveBeenCalledWith("EmergencySolution test: callback [number] not leased");
    error.mockRestore();
  });
});

/** The redactor's former regular expression: the meaning the linear scanner must keep, used here as the oracle. */
const formerPattern = /(?<![0-9A-Za-z-])\+?\d(?:[\d ().-]*\d)?(?![0-9A-Za-z-])/g;
const redactWithFormerPattern = (text: string): string =>
  text.replace(formerPattern, (candidate) => (candidate.replace(/\D/g, "").length >= 3 ? "[number]" : candidate));

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("log redaction in linear time", () => {
  it("RedactPhoneNumbers_RandomTexts_AgreeWithTheFormerExpression", () => {
    const alphabet = "0123456789 ().-+aZ_x\n";
    const random = seededRandom(20261201);
    for (let sample = 0; sample < 5000; sample++) {
      const length = Math.floor(random() * 40);
      let text = "";
      for (let index = 0; index < length; index++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(redactPhoneNumbers(text), JSON.stringify(text)).toBe(redactWithFormerPattern(text));
    }
  });

  it("RedactPhoneNumbers_64kInputWithNoNumberEnd_VisitsEachCharacterAtMostTwice", () => {
    // "(1-(1-…": every digit is followed by a hyphen, so no number can end; the former expression tried every start
    // and backtracked over the whole rest of the text from each (quadratic: about 4 s here for 64k characters).
    const text = "(1-".repeat(21_846) + "x";
    const stats = { characterVisits: 0 };
    expect(redactPhoneNumbers(text, stats)).toBe(text);
    expect(text.length).toBeGreaterThanOrEqual(65_536);
    expect(stats.characterVisits).toBeLessThanOrEqual(2 * text.length);
  });

  it("RedactPhoneNumbers_64kRunEndingInAWord_VisitsEachCharacterAtMostTwice", () => {
    const body = "1 ".repeat(32_768);
    const text = body + "1x";
    const stats = { characterVisits: 0 };
    const redacted = redactPhoneNumbers(text, stats);
    expect(text.length).toBeGreaterThanOrEqual(65_536);
    expect(stats.characterVisits).toBeLessThanOrEqual(2 * text.length);
    // The number ends at the last digit that no letter follows; the "1x" stays, it is part of a word.
    expect(redacted).toBe("[number] 1x");
  });

  it("RedactPhoneNumbers_ManyNumbersInALongLine_AreEachReplacedInOnePass", () => {
    const text = Array.from({ length: 4_000 }, (_, index) => `call ${index} to +1 (206) 555-${String(index).padStart(4, "0")};`).join(" ");
    const stats = { characterVisits: 0 };
    const redacted = redactPhoneNumbers(text, stats);
    expect(stats.characterVisits).toBeLessThanOrEqual(2 * text.length);
    expect(redacted).not.toMatch(/\d{3}/);
    expect(redacted.match(/\[number\]/g)?.length).toBe(4_000 + 3_900); // the numbers, and every index of 3+ digits
  });
});
