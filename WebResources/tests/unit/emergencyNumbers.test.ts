import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  decideEmergencyDial,
  DEFAULT_EMERGENCY_NUMBERS,
  emergencyNumberFor,
  parseEmergencyNumbers,
} from "../../src/shared/emergencyNumbers";

interface DialVector {
  readonly name: string;
  readonly country: string;
  readonly dialed: string;
  readonly number: string | null;
}

const vectorPath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "Tests", "vectors", "emergency-dial.json");
const vectors = JSON.parse(readFileSync(vectorPath, "utf8")) as { rules: string[]; cases: DialVector[] };

describe("emergency dial rules (Tests/vectors/emergency-dial.json)", () => {
  it("VectorFile_Always_HoldsCasesOnBothSides", () => {
    expect(vectors.cases.filter((c) => c.number !== null).length).toBeGreaterThanOrEqual(5);
    expect(vectors.cases.filter((c) => c.number === null).length).toBeGreaterThanOrEqual(5);
  });

  for (const vector of vectors.cases) {
    it(`EmergencyNumberFor_${vector.name}`, () => {
      expect(emergencyNumberFor(DEFAULT_EMERGENCY_NUMBERS, vector.country, vector.dialed)).toBe(vector.number);
    });
  }

  it("ParseEmergencyNumbers_TheShippedDefaultText_EqualsTheDefaults", () => {
    const shipped = '{"US":["911"],"PR":["911"],"CA":["911"],"GB":["999","112","911"],"DK":["112","911"]}';
    expect(parseEmergencyNumbers(shipped)).toEqual(DEFAULT_EMERGENCY_NUMBERS);
  });

  it.each([
    ["not JSON", "{US:911}"],
    ["an array", '["911"]'],
    ["a long number", '{"US":["9110000"]}'],
    ["letters in a number", '{"US":["91a"]}'],
    ["a bad country code", '{"USA":["911"]}'],
    ["a country twice", '{"US":["911"],"us":["112"]}'],
    ["no numbers for a country", '{"US":[]}'],
    ["no country", "{}"],
  ])("ParseEmergencyNumbers_%s_IsRefused", (_name, text) => {
    expect(parseEmergencyNumbers(text)).toBeNull();
  });

  it("DecideEmergencyDial_AgentsOwnCountry_OnlyItsNumbersCount", () => {
    expect(decideEmergencyDial(DEFAULT_EMERGENCY_NUMBERS, "US", "+1 911")).toEqual({ countryCode: "US", dialedNumber: "911" });
    expect(decideEmergencyDial(DEFAULT_EMERGENCY_NUMBERS, "US", "999")).toBeNull();
    expect(decideEmergencyDial(DEFAULT_EMERGENCY_NUMBERS, "gb", "999")).toEqual({ countryCode: "GB", dialedNumber: "999" });
  });

  it("DecideEmergencyDial_UnknownOrUnsupportedCountry_AnyConfiguredCountryCountsAndTheCountryGoesAsKnown", () => {
    expect(decideEmergencyDial(DEFAULT_EMERGENCY_NUMBERS, null, "112")).toEqual({ countryCode: "", dialedNumber: "112" });
    expect(decideEmergencyDial(DEFAULT_EMERGENCY_NUMBERS, "FR", "112")).toEqual({ countryCode: "FR", dialedNumber: "112" });
    expect(decideEmergencyDial(DEFAULT_EMERGENCY_NUMBERS, "FR", "+33 1 23 45 67 89")).toBeNull();
  });
});
