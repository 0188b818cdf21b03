import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type ChromiumSession } from "./chromiumHarness";
import { startStaticServer, type StaticServer } from "./staticServer";
import { xrmStubScript, type RecordedPlatformCall, type XrmScenario } from "./xrmStub";

const here = dirname(fileURLToPath(import.meta.url));
const distRoot = join(here, "..", "..", "dist");
const screenshotPath = join(here, "..", "..", "test-output", "emergency-panel.png");

const userId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const emergencyCallId = "0b7a1c8e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
const newEmergencyCallId = "5c4b3a29-1807-4f6e-9d5c-4b3a29180706";
const presenceId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

const activeCallScenario: XrmScenario = {
  userId,
  activeCall: { id: emergencyCallId, callbackNumber: "+1 206 555 0100", expiresInSeconds: 3595 },
  startResponse: { fail: "not expected in this scenario" },
  endResponse: { restoredPresenceId: presenceId },
  presenceText: "Available",
  dndPresenceText: "Do not disturb",
  withCiFramework: true,
};

const dndPresenceQuery = "?$select=msdyn_presencestatustext&$filter=msdyn_basepresencestatus eq 192360002&$top=1";

type DialerWindow = { EmergencySolution: { Panel: { startEmergencyCall(n: string, c: string, o?: object): Promise<unknown> } } };

const idleScenario: XrmScenario = {
  ...activeCallScenario,
  activeCall: null,
  startResponse: {
    body: {
      EmergencyCallId: newEmergencyCallId,
      CallbackNumber: "+44 20 7946 0958",
      NotificationStatus: 410750002,
      Warnings: ["The agent's location was not shared."],
    },
    expiresInSeconds: 3600,
  },
};

let server: StaticServer;
let chromium: ChromiumSession;

beforeAll(async () => {
  server = await startStaticServer(distRoot);
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

async function openPanel(scenario: XrmScenario): Promise<{ page: Page; pageErrors: string[]; consoleLines: string[] }> {
  const page = await chromium.newPage();
  const pageErrors: string[] = [];
  const consoleLines: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => consoleLines.push(message.text()));
  await page.addInitScript({ content: xrmStubScript(scenario) });
  await page.goto(`${server.origin}/emc_/panel/emergency_panel.html`);
  return { page, pageErrors, consoleLines };
}

const platformCalls = (page: Page): Promise<RecordedPlatformCall[]> =>
  page.evaluate(() => (window as unknown as { __emcPlatformCalls: RecordedPlatformCall[] }).__emcPlatformCalls);

/** Every control a pointer or keyboard user could operate that is visible right now. */
const visibleControls = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>("button, a[href], input, select, textarea, [tabindex]:not([tabindex='-1'])"))
      .filter((control) => control.offsetParent !== null && getComputedStyle(control).visibility !== "hidden")
      .map((control) => control.textContent?.trim() ?? ""),
  );

describe("emergency panel in chromium", () => {
  it("Panel_ActiveCallOnLoad_ShowsTheAlertAndExactlyTwoControls", async () => {
    const { page, pageErrors } = await openPanel(activeCallScenario);
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toBe("Emergency call in progress");
    expect(await alert.isVisible()).toBe(true);
    expect(await visibleControls(page)).toEqual(["Device settings", "End call"]);
    expect(await page.locator(".callback-number").textContent()).toBe("+1 206 555 0100");

    await mkdir(dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });

    const calls = await platformCalls(page);
    expect(calls).toEqual([
      {
        api: "retrieveMultipleRecords",
        entity: "emc_emergencycall",
        options:
          "?$select=emc_emergencycallid,emc_callbackexpireson,emc_countrycode&$expand=emc_callbacknumberid($select=emc_number)" +
          `&$filter=_emc_agentid_value eq ${userId} and statecode eq 0&$orderby=emc_startedon desc&$top=1`,
      },
    ]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Panel_ActiveCall_CountdownTicksDown", async () => {
    const { page } = await openPanel(activeCallScenario);
    const timer = page.getByRole("timer");
    await expect.poll(() => timer.textContent()).toMatch(/^59:5\d$/);
    const toSeconds = (text: string | null): number => {
      const [minutes, seconds] = (text ?? "").split(":").map(Number);
      return (minutes ?? 0) * 60 + (seconds ?? 0);
    };
    const first = toSeconds(await timer.textContent());
    await expect.poll(async () => toSeconds(await timer.textContent()), { timeout: 4000 }).toBeLessThan(first);
    expect(first).toBeLessThanOrEqual(3595);
    await page.close();
  });

  it("Panel_EndCallClicked_ExecutesEndAndRestoresPresence", async () => {
    const { page, pageErrors } = await openPanel(activeCallScenario);
    await page.getByRole("button", { name: "End call" }).click();
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("The emergency call has ended.");
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await visibleControls(page)).toEqual([]);

    const calls = await platformCalls(page);
    expect(calls.slice(1)).toEqual([
      { api: "execute", operationName: "emc_EndEmergencyCall", operationType: 0, parameters: { EmergencyCallId: emergencyCallId } },
      { api: "retrieveRecord", entity: "msdyn_presence", id: presenceId, options: "?$select=msdyn_presencestatustext" },
      { api: "CIFramework.setPresence", presenceText: "Available" },
    ]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Panel_KeyboardOnly_TabEnterAndSpaceOperateBothControls", async () => {
    const { page } = await openPanel(activeCallScenario);
    await page.getByRole("alert").waitFor();
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");

    await page.keyboard.press("Tab");
    expect(await focusedText()).toBe("Device settings");
    await page.keyboard.press("Enter");
    const deviceSettings = page.getByRole("button", { name: "Device settings" });
    expect(await deviceSettings.getAttribute("aria-expanded")).toBe("true");
    expect(await page.locator("#emc-device-panel").isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    expect(await deviceSettings.getAttribute("aria-expanded")).toBe("false");

    await page.keyboard.press("Tab");
    expect(await focusedText()).toBe("End call");
    await page.keyboard.press("Space");
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("The emergency call has ended.");
    // Focus lands on the outcome, not on the body, so a screen-reader user hears what happened.
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("idle-message");
    const operations = (await platformCalls(page)).map((call) => call.operationName ?? call.api);
    expect(operations).toContain("emc_EndEmergencyCall");
    await page.close();
  });

  it("Panel_StartEmergencyCallFromDialer_ExecutesStartAndSwitchesToEmergencyMode", async () => {
    const { page, pageErrors } = await openPanel(idleScenario);
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("No emergency call in progress.");
    expect(await visibleControls(page)).toEqual([]);

    const outcome = await page.evaluate(() =>
      (
        window as unknown as { EmergencySolution: { Panel: { startEmergencyCall(n: string, c: string, o?: object): Promise<unknown> } } }
      ).EmergencySolution.Panel.startEmergencyCall("999", "GB", { location: "10 Downing Street, London" }),
    );
    expect(outcome).toEqual({ registered: true, emergencyCallId: newEmergencyCallId, error: null });
    expect(await page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    expect(await visibleControls(page)).toEqual(["Device settings", "End call"]);
    expect(await page.locator(".callback-number").textContent()).toBe("+44 20 7946 0958");
    expect(await page.locator(".warnings li").allTextContents()).toEqual(["The agent's location was not shared."]);
    expect(await page.getByRole("timer").textContent()).toMatch(/^(60:00|59:5\d)$/);

    const start = (await platformCalls(page)).find((call) => call.operationName === "emc_StartEmergencyCall");
    expect(start).toEqual({
      api: "execute",
      operationName: "emc_StartEmergencyCall",
      operationType: 0,
      parameters: { DialedNumber: "999", CountryCode: "GB", Location: "10 Downing Street, London" },
    });

    // Right after the start, the client switches the agent to Do not disturb: one lookup, then CIF's setPresence.
    await expect.poll(async () => (await platformCalls(page)).some((call) => call.api === "CIFramework.setPresence")).toBe(true);
    const calls = await platformCalls(page);
    expect(calls.slice(calls.findIndex((call) => call.operationName === "emc_StartEmergencyCall") + 1)).toEqual([
      { api: "retrieveMultipleRecords", entity: "msdyn_presence", options: dndPresenceQuery },
      { api: "CIFramework.setPresence", presenceText: "Do not disturb" },
    ]);
    expect(await page.locator(".emergency .error").textContent()).toBe("");
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Panel_StartThenNoDndPresence_CallGoesOnWithANote", async () => {
    const { page, pageErrors, consoleLines } = await openPanel({ ...idleScenario, dndPresenceText: null });
    await page.locator(".idle-message").waitFor();
    const outcome = await page.evaluate(() => (window as unknown as DialerWindow).EmergencySolution.Panel.startEmergencyCall("911", "US"));
    expect(outcome).toEqual({ registered: true, emergencyCallId: newEmergencyCallId, error: null });
    await expect.poll(() => page.locator(".emergency .error").textContent()).toContain("could not be switched to Do not disturb");
    expect(await page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    expect(await visibleControls(page)).toEqual(["Device settings", "End call"]);
    expect((await platformCalls(page)).map((call) => call.api)).not.toContain("CIFramework.setPresence");
    expect(
      consoleLines.some((line) => line.includes(`could not switch presence to Do not disturb for emergency call ${newEmergencyCallId}`)),
    ).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Panel_StartThenSetPresenceRejects_CallGoesOnWithANote", async () => {
    const { page, consoleLines } = await openPanel({ ...idleScenario, setPresenceFails: "Presence 911 is not configured" });
    await page.locator(".idle-message").waitFor();
    await page.evaluate(() => (window as unknown as DialerWindow).EmergencySolution.Panel.startEmergencyCall("911", "US"));
    await expect.poll(() => page.locator(".emergency .error").textContent()).toContain("could not be switched to Do not disturb");
    expect(await visibleControls(page)).toEqual(["Device settings", "End call"]);
    expect(consoleLines.filter((line) => /911|555/.test(line))).toEqual([]);

    // End still works and restores the prior presence after the failed switch.
    await page.getByRole("button", { name: "End call" }).click();
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("The emergency call has ended.");
    expect((await platformCalls(page)).map((call) => call.operationName ?? call.api)).toContain("emc_EndEmergencyCall");
    await page.close();
  });

  it("Panel_EndRightAfterStart_RestoresPresenceAfterTheDndSwitch", async () => {
    const { page } = await openPanel({ ...idleScenario, dndLookupDelayMs: 300 });
    await page.locator(".idle-message").waitFor();
    // The dialer's promise resolves before the DND switch ends; End pressed at once must not be overtaken by it.
    await page.evaluate(async () => {
      const panel = (
        window as unknown as {
          EmergencySolution: { Panel: { startEmergencyCall(n: string, c: string): Promise<unknown>; endCall(): Promise<void> } };
        }
      ).EmergencySolution.Panel;
      await panel.startEmergencyCall("911", "US");
      await panel.endCall();
    });
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("The emergency call has ended.");
    const calls = await platformCalls(page);
    expect(calls.slice(calls.findIndex((call) => call.operationName === "emc_StartEmergencyCall") + 1)).toEqual([
      { api: "retrieveMultipleRecords", entity: "msdyn_presence", options: dndPresenceQuery },
      { api: "CIFramework.setPresence", presenceText: "Do not disturb" },
      { api: "execute", operationName: "emc_EndEmergencyCall", operationType: 0, parameters: { EmergencyCallId: newEmergencyCallId } },
      { api: "retrieveRecord", entity: "msdyn_presence", id: presenceId, options: "?$select=msdyn_presencestatustext" },
      { api: "CIFramework.setPresence", presenceText: "Available" },
    ]);
    await page.close();
  });

  it("Panel_ActiveCallFoundByLookup_LeavesPresenceAlone", async () => {
    const { page } = await openPanel(activeCallScenario);
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    // The idle backstop and the load lookup must never override a presence the agent chose: no DND lookup, no setPresence.
    await page.evaluate(() =>
      (window as unknown as { EmergencySolution: { Panel: { refresh(): Promise<void> } } }).EmergencySolution.Panel.refresh(),
    );
    await page.waitForTimeout(300);
    expect((await platformCalls(page)).map((call) => call.entity ?? call.api)).toEqual(["emc_emergencycall"]);
    await page.close();
  });

  it("Panel_ReloadedWhileStartWasInFlight_SwitchesToDndOnceForTheFoundCall", async () => {
    const { page, pageErrors } = await openPanel({ ...activeCallScenario, startInFlightBeforeLoad: true });
    await expect.poll(async () => (await platformCalls(page)).some((call) => call.api === "CIFramework.setPresence")).toBe(true);
    expect((await platformCalls(page)).slice(1)).toEqual([
      { api: "retrieveMultipleRecords", entity: "msdyn_presence", options: dndPresenceQuery },
      { api: "CIFramework.setPresence", presenceText: "Do not disturb" },
    ]);
    expect(await page.evaluate(() => window.sessionStorage.getItem("EmergencySolution.Panel.startInFlight"))).toBeNull();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Panel_StartFails_StillShowsEmergencyModeAndTheError", async () => {
    const { page, consoleLines } = await openPanel({ ...idleScenario, startResponse: { fail: "The service is unavailable" } });
    await page.locator(".idle-message").waitFor();
    const outcome = await page.evaluate(() =>
      (
        window as unknown as { EmergencySolution: { Panel: { startEmergencyCall(n: string, c: string): Promise<unknown> } } }
      ).EmergencySolution.Panel.startEmergencyCall("911", "US"),
    );
    expect(outcome).toEqual({ registered: false, emergencyCallId: null, error: "The service is unavailable" });
    expect(await page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    expect(await visibleControls(page)).toEqual(["Device settings", "End call"]);
    expect(await page.locator(".emergency .error").textContent()).toContain("The call continues");

    // Ending a call that was never recorded needs no server call and returns the panel to idle.
    await page.getByRole("button", { name: "End call" }).click();
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("The emergency call has ended.");
    const operations = (await platformCalls(page)).map((call) => call.operationName ?? call.api);
    expect(operations).not.toContain("emc_EndEmergencyCall");
    expect(consoleLines.some((line) => line.includes("emc_StartEmergencyCall failed: The service is unavailable"))).toBe(true);
    await page.close();
  });

  it("Panel_ErrorQuotesPhoneNumbers_ConsoleNeverShowsThem", async () => {
    const failure = "No route for 911 from +1 206 555 0100";
    const { page, consoleLines } = await openPanel({ ...idleScenario, startResponse: { fail: failure } });
    await page.locator(".idle-message").waitFor();
    await page.evaluate(() =>
      (
        window as unknown as { EmergencySolution: { Panel: { startEmergencyCall(n: string, c: string): Promise<unknown> } } }
      ).EmergencySolution.Panel.startEmergencyCall("911", "US"),
    );
    expect(consoleLines.some((line) => line.includes("No route for [number] from [number]"))).toBe(true);
    expect(consoleLines.filter((line) => /911|555/.test(line))).toEqual([]);
    await page.close();
  });

  it("Panel_EndCallFails_KeepsEmergencyModeAndOffersRetry", async () => {
    const { page } = await openPanel({ ...activeCallScenario, endResponse: { fail: "Server busy" } });
    await page.getByRole("button", { name: "End call" }).click();
    await expect.poll(() => page.locator(".emergency .error").textContent()).toContain("Try End call again");
    expect(await page.getByRole("alert").isVisible()).toBe(true);
    expect(await visibleControls(page)).toEqual(["Device settings", "End call"]);
    await page.close();
  });

  it("Panel_NoChannelIntegration_EndsWithoutSetPresence", async () => {
    const { page } = await openPanel({ ...activeCallScenario, withCiFramework: false });
    await page.getByRole("button", { name: "End call" }).click();
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("The emergency call has ended.");
    const apis = (await platformCalls(page)).map((call) => call.api);
    expect(apis).toEqual(["retrieveMultipleRecords", "execute"]);
    await page.close();
  });
});

describe("form-script bundles in chromium", () => {
  it("Bundles_LoadedOnOnePage_ShareTheEmergencySolutionNamespace", async () => {
    const page = await chromium.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${server.origin}/emc_/panel/emergency_panel.html`);
    await page.addScriptTag({ url: `${server.origin}/emc_/scripts/recipients_form.js` });
    await page.addScriptTag({ url: `${server.origin}/emc_/scripts/conversation_form.js` });
    const exported = await page.evaluate(() => {
      const namespace = (window as unknown as { EmergencySolution: Record<string, Record<string, unknown>> }).EmergencySolution;
      return Object.fromEntries(
        Object.entries(namespace).map(([member, value]) => [
          member,
          Object.keys(value)
            .filter((key) => typeof value[key] === "function")
            .sort(),
        ]),
      );
    });
    expect(exported).toEqual({
      Panel: ["endCall", "getState", "refresh", "startEmergencyCall"],
      RecipientsForm: ["onLoad", "onRecipientsChange"],
      ConversationForm: ["isSaveOrRefreshAllowed", "onLoad"],
    });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
