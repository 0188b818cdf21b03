import { describe, expect, it, vi } from "vitest";
import {
  agentCountryQuery,
  emergencyNumbersQuery,
  readAgentCountry,
  readEmergencyNumbers,
  regionOfLanguageTag,
} from "../../src/shared/agentContext";
import { DEFAULT_EMERGENCY_NUMBERS } from "../../src/shared/emergencyNumbers";
import { FakeDataClient } from "./fakeDataClient";

const logger = () => ({ error: vi.fn(), info: vi.fn() });
const userId = "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}";

describe("agent context", () => {
  it("ReadEmergencyNumbers_CurrentValue_WinsOverTheDefaultInOneRoundTrip", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("environmentvariabledefinition", [
      {
        schemaname: "emc_EmergencyNumbers",
        defaultvalue: '{"US":["911"]}',
        environmentvariabledefinition_environmentvariablevalue: [{ value: '{"IE":["112","999"]}' }],
      },
    ]);
    expect(await readEmergencyNumbers(dataClient, logger())).toEqual({ IE: ["112", "999"] });
    expect(dataClient.calls).toEqual([
      { method: "retrieveMultipleRecords", entity: "environmentvariabledefinition", options: emergencyNumbersQuery },
    ]);
  });

  it("ReadEmergencyNumbers_NoCurrentValue_UsesTheDefaultValue", async () => {
    const dataClient = new FakeDataClient().whenRetrieveMultiple("environmentvariabledefinition", [
      { schemaname: "emc_EmergencyNumbers", defaultvalue: '{"DK":["112"]}', environmentvariabledefinition_environmentvariablevalue: [] },
    ]);
    expect(await readEmergencyNumbers(dataClient, logger())).toEqual({ DK: ["112"] });
  });

  it("ReadEmergencyNumbers_ReadFailsOrValueBroken_FallsBackToTheShippedListAndSaysSo", async () => {
    const failing = logger();
    expect(
      await readEmergencyNumbers(new FakeDataClient().whenRetrieveMultiple("environmentvariabledefinition", new Error("403")), failing),
    ).toBe(DEFAULT_EMERGENCY_NUMBERS);
    expect(failing.error).toHaveBeenCalledWith(expect.stringContaining("shipped default"));
    const broken = logger();
    const dataClient = new FakeDataClient().whenRetrieveMultiple("environmentvariabledefinition", [{ defaultvalue: "not json" }]);
    expect(await readEmergencyNumbers(dataClient, broken)).toBe(DEFAULT_EMERGENCY_NUMBERS);
    expect(broken.error).toHaveBeenCalledWith(expect.stringContaining("not usable"));
  });

  it("ReadAgentCountry_OmnichannelPhoneHasACountry_UsesItInOneRoundTrip", async () => {
    const dataClient = new FakeDataClient().whenRetrieve("systemuser", { msdyn_phonenumberid: { msdyn_countryisocode: "gb" } });
    expect(await readAgentCountry(dataClient, userId, ["en-US"], logger())).toBe("GB");
    expect(dataClient.calls).toEqual([
      { method: "retrieveRecord", entity: "systemuser", id: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", options: agentCountryQuery },
    ]);
  });

  it("ReadAgentCountry_NoOmnichannelPhone_FallsBackToTheBrowserLanguageRegion", async () => {
    const dataClient = new FakeDataClient().whenRetrieve("systemuser", { msdyn_phonenumberid: null });
    expect(await readAgentCountry(dataClient, userId, ["da", "da-DK"], logger())).toBe("DK");
  });

  it("ReadAgentCountry_ReadFailsAndNoRegion_IsNullAndLogged", async () => {
    const log = logger();
    const dataClient = new FakeDataClient().whenRetrieve("systemuser", new Error("timeout"));
    expect(await readAgentCountry(dataClient, userId, ["en"], log)).toBeNull();
    expect(log.error).toHaveBeenCalledOnce();
  });

  it.each([
    ["en-US", "US"],
    ["en_GB", "GB"],
    ["zh-Hant-TW", "TW"],
    ["en", null],
    ["es-419", null],
  ])("RegionOfLanguageTag_%s_Is%s", (tag, region) => {
    expect(regionOfLanguageTag(tag)).toBe(region);
  });
});
