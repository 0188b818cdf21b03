import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { activeCallQuery, endEmergencyCallRequest, startEmergencyCallRequest } from "../../src/panel/emergencyCallClient";
import { activeEmergencyCallQuery } from "../../src/conversation/conversationForm";

/**
 * The contract between the web resources and the package they ship in: every custom API parameter the scripts send is
 * declared with the matching type, every output the panel reads is declared, and every column the scripts select
 * exists on the table. Dataverse refuses an undeclared parameter and a $select of an unknown column, so a drift here
 * would fail in the org, not in the scripts' own tests.
 */
const src = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "SolutionPackage", "src");

/** customapirequestparameter <type>: 10 String, 12 Guid (the values this solution's APIs use). */
const typeByEdm: Record<string, string> = { "Edm.String": "10", "Edm.Guid": "12" };

function declaredType(api: string, folder: "customapirequestparameters" | "customapiresponseproperties", name: string): string | null {
  const file = join(
    src,
    "customapis",
    api,
    folder,
    name,
    folder === "customapirequestparameters" ? "customapirequestparameter.xml" : "customapiresponseproperty.xml",
  );
  if (!existsSync(file)) return null;
  return /<type>(\d+)<\/type>/.exec(readFileSync(file, "utf8"))?.[1] ?? null;
}

function tableColumns(table: string): Set<string> {
  const folder = readdirSync(join(src, "Entities")).find((name) => name.toLowerCase() === table);
  if (folder === undefined) return new Set();
  const xml = readFileSync(join(src, "Entities", folder, "Entity.xml"), "utf8");
  return new Set(Array.from(xml.matchAll(/<LogicalName>([^<]+)<\/LogicalName>/g), (match) => match[1] ?? ""));
}

/** The plain column names of a $select (expanded lookups are named by their navigation property). */
function selectedColumns(query: string): string[] {
  return (/\$select=([^&]+)/.exec(query)?.[1] ?? "").split(",");
}

describe("web resources against the package", () => {
  const requests = [
    startEmergencyCallRequest("911", "US", {
      conversationId: "6b1f0e2a-1d3c-4e5f-8a9b-0c1d2e3f4a5b",
      idempotencyKey: "7e57c0de-0000-4000-8000-000000000911",
      originNumberType: "CallingPlan",
      location: "1 Main St",
    }),
    endEmergencyCallRequest("0b7a1c8e-2f3d-4a5b-9c6d-7e8f9a0b1c2d"),
  ];
  for (const request of requests) {
    const metadata = request.getMetadata();
    for (const [name, parameter] of Object.entries(metadata.parameterTypes)) {
      it(`${metadata.operationName}_${name}_IsDeclaredWithTheSameType`, () => {
        expect(declaredType(metadata.operationName, "customapirequestparameters", name)).toBe(typeByEdm[parameter.typeName]);
      });
    }
  }

  for (const output of [
    "EmergencyCallId",
    "CallbackPath",
    "CallbackNumber",
    "CallbackExpiresOn",
    "CallbackDetails",
    "NotificationStatus",
    "Warnings",
  ]) {
    it(`emc_StartEmergencyCall_Output${output}_ThePanelReads_IsDeclared`, () => {
      expect(declaredType("emc_StartEmergencyCall", "customapiresponseproperties", output)).not.toBeNull();
    });
  }

  it("ActiveCallLookups_EverySelectedColumn_ExistsOnTheCallTable", () => {
    const columns = tableColumns("emc_emergencycall");
    const selected = [
      ...selectedColumns(activeCallQuery("3f2504e0-4f89-11d3-9a0c-0305e82c3301")),
      ...selectedColumns(activeEmergencyCallQuery("x")),
    ];
    expect(selected.filter((column) => !columns.has(column))).toEqual([]);
    expect(columns.has("emc_callbacknumberid")).toBe(true);
  });
});
