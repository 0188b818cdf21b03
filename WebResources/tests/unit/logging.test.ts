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
