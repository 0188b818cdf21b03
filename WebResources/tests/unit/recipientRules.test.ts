import { describe, expect, it } from "vitest";
import { extractAddress, normalizeRecipients, splitEntries, trimRuleWhitespace } from "../../src/recipients/recipientRules";
import { isValidCase, loadRecipientVectors } from "./recipientVectors";

const vectors = loadRecipientVectors();

describe("shared recipient vectors (Tests/vectors/recipients.json)", () => {
  for (const vector of vectors.cases) {
    it(`Vector_${vector.name}`, () => {
      const result = normalizeRecipients(vector.input);
      if (isValidCase(vector)) {
        expect(result.errors.map((error) => `${error.code}: ${error.entry}`)).toEqual([]);
        expect(result.isValid).toBe(true);
        expect(result.normalized).toBe(vector.expected);
      } else {
        expect(result.isValid).toBe(false);
        expect(result.errors.map(({ entry, code }) => ({ entry, code }))).toEqual(vector.errors);
      }
    });
  }
});

describe("the vector file itself", () => {
  it("VectorFile_Always_HasRulesProseAndAtLeastFortyUniquelyNamedCases", () => {
    expect(vectors.rules.length).toBeGreaterThanOrEqual(7);
    expect(vectors.cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(vectors.cases.map((vector) => vector.name)).size).toBe(vectors.cases.length);
  });

  it("VectorFile_Always_CoversEveryErrorCode", () => {
    const codes = new Set(vectors.cases.flatMap((vector) => (isValidCase(vector) ? [] : vector.errors.map((error) => error.code))));
    expect([...codes].sort()).toEqual(
      [
        "address-too-long",
        "empty-local-part",
        "invalid-character",
        "invalid-domain",
        "invalid-local-part",
        "local-part-too-long",
        "missing-at",
        "multiple-at",
        "too-many-recipients",
        "unclosed-quote",
        "value-too-long",
      ].sort(),
    );
  });

  it("VectorFile_Always_CoversNullEmptyAndLimitBoundaries", () => {
    const inputs = vectors.cases.map((vector) => vector.input);
    expect(inputs).toContain(null);
    expect(inputs).toContain("");
    const normalizedLengths = vectors.cases.filter(isValidCase).map((vector) => vector.expected.length);
    expect(normalizedLengths).toContain(4000);
  });
});

describe("recipient rule helpers", () => {
  it("TrimRuleWhitespace_ByteOrderMark_IsKeptLikeDotNetTrim", () => {
    expect(trimRuleWhitespace("\ufeffa@contoso.com ")).toBe("\ufeffa@contoso.com");
    expect(trimRuleWhitespace("\u2028\u00a0a@contoso.com\u0085")).toBe("a@contoso.com");
  });

  it("SplitEntries_QuotedSeparators_StayInOneEntry", () => {
    expect(splitEntries('"Doe, John" <j@contoso.com>;k@contoso.com')).toEqual(['"Doe, John" <j@contoso.com>', "k@contoso.com"]);
  });

  it("ExtractAddress_NoClosingBracket_ReturnsEntryUnchanged", () => {
    expect(extractAddress("Bob <bob@contoso.com")).toBe("Bob <bob@contoso.com");
  });

  it("NormalizeRecipients_InvalidDomainWithoutDot_NamesTheEntryInPlainEnglish", () => {
    const result = normalizeRecipients("bob@example");
    expect(result.errors[0]?.message).toBe('"bob@example" — the domain must contain a dot');
  });

  it("NormalizeRecipients_TooManyRecipients_SaysHowManyAndTheLimit", () => {
    const input = Array.from({ length: 51 }, (_, index) => `agent${index}@contoso.com`).join(";");
    expect(normalizeRecipients(input).errors[0]?.message).toBe("There are 51 recipients; at most 50 are allowed.");
  });

  it("NormalizeRecipients_MixedList_KeepsValidAddressesForReporting", () => {
    const result = normalizeRecipients("a@contoso.com; bad");
    expect(result.isValid).toBe(false);
    expect(result.normalized).toBe("");
    expect(result.addresses).toEqual(["a@contoso.com"]);
  });
});
