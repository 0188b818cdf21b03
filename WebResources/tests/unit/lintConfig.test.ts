import powerApps from "@microsoft/eslint-plugin-power-apps";
import { ESLint } from "eslint";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The lint configuration is code too: these tests prove that every Power Apps checker rule is on for the shipped
// bundles and that a bundle breaking one of them is reported as an error (so `npm run lint`, and CI, fail).
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const eslint = new ESLint({ cwd: root });
const bundlePath = join(root, "dist", "emc_", "scripts", "lint_probe.js");
const pluginRules = Object.keys(powerApps.rules);

describe("ESLint configuration", () => {
  it("switches on every rule of @microsoft/eslint-plugin-power-apps as an error for the bundles", async () => {
    const config = (await eslint.calculateConfigForFile(bundlePath)) as { rules: Record<string, unknown> };
    expect(pluginRules.length).toBeGreaterThanOrEqual(26);
    for (const rule of pluginRules) {
      expect(config.rules[`@microsoft/power-apps/${rule}`], rule).toEqual([2]);
    }
  });

  it("reports a bundle that uses a deprecated Xrm.Page API or a synchronous request", async () => {
    const source = [
      "var name = Xrm.Page.context.getOrgUniqueName();",
      "var request = new XMLHttpRequest();",
      'request.open("GET", "/api/data/v9.2/accounts", false);',
    ].join("\n");
    const [result] = await eslint.lintText(source, { filePath: bundlePath });
    const rules = new Set(result?.messages.map((message) => message.ruleId));
    expect(result?.errorCount).toBeGreaterThan(0);
    expect(rules).toContain("@microsoft/power-apps/use-org-setting");
    expect(rules).toContain("@microsoft/power-apps/use-async");
  });

  it("applies the same rules to the TypeScript sources", async () => {
    const config = (await eslint.calculateConfigForFile(join(root, "src", "panel", "entry.ts"))) as { rules: Record<string, unknown> };
    for (const rule of pluginRules) {
      expect(config.rules[`@microsoft/power-apps/${rule}`], rule).toEqual([2]);
    }
    expect(config.rules["@typescript-eslint/no-floating-promises"]).toBeDefined();
  });
});
