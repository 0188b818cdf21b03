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
const conversationId = "6b1f0e2a-1d3c-4e5f-8a9b-0c1d2e3f4a5b";
const leasedNumber = "+1 206 555 0100";
const OriginPath = { CallingPlan: 410750000, DirectOffer: 410750001, DirectRouting: 410750002, Unknown: 410750003 };

/** A direct-routing call: the responder sees the leased pool number, so the panel shows it. */
const activeCallScenario: XrmScenario = {
  userId,
  activeCall: { id: emergencyCallId, callbackNumber: leasedNumber, expiresInSeconds: 3595, originPath: OriginPath.DirectRouting },
  startResponse: { fail: "not expected in this scenario" },
  endResponse: { ok: true },
  agentCountry: "US",
};

type PanelWindow = {
  EmergencySolution: {
    Panel: {
      startEmergencyCall(n: string, c: string, o?: object): Promise<unknown>;
      startManually(): Promise<unknown>;
      endCall(): Promise<void>;
      refresh(): Promise<void>;
    };
  };
};

const idleScenario: XrmScenario = {
  ...activeCallScenario,
  activeCall: null,
  startResponse: {
    body: {
      EmergencyCallId: newEmergencyCallId,
      CallbackPath: "Pool",
      CallbackNumber: "+44 20 7946 0958",
      NotificationStatus: 410750002,
      Warnings: ["The agent's location was not shared."],
    },
    expiresInSeconds: 3600,
  },
};

const activeCallQuery =
  "?$select=emc_emergencycallid,emc_callbackexpireson,emc_countrycode,emc_originpath,emc_callbackdetails" +
  `&$expand=emc_callbacknumberid($select=emc_number)&$filter=_emc_agentid_value eq ${userId} and statecode eq 0&$orderby=emc_startedon desc&$top=1`;

/** Every digit the panel shows, to prove a number is (not) on screen whatever its formatting. */
const digitsOnScreen = (page: Page) => page.evaluate(() => (document.body.innerText ?? "").replace(/\D/g, ""));

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
    expect(await page.locator(".callback-number").textContent()).toBe(leasedNumber);

    await mkdir(dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });

    expect(await platformCalls(page)).toEqual([{ api: "retrieveMultipleRecords", entity: "emc_emergencycall", options: activeCallQuery }]);
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

  // The safety rule of the callback: for every origin path, the screen shows the leased number only where the
  // responder really has it, even when a lease row is there.
  const rows: Array<[string, number | undefined, boolean, RegExp]> = [
    ["calling plan", OriginPath.CallingPlan, false, /temporary number that Microsoft assigns.*about 60 minutes.*933/s],
    ["direct offer", OriginPath.DirectOffer, false, /temporary number that Microsoft assigns.*about 60 minutes.*933/s],
    ["direct routing", OriginPath.DirectRouting, true, /caller id/],
    ["unknown with a lease (carrier presents pool numbers)", OriginPath.Unknown, true, /caller id/],
    ["no origin path (older row)", undefined, false, /not known/],
  ];
  for (const [name, originPath, numberShown, explanation] of rows) {
    it(`Panel_RowOn${name.replace(/\W+/g, "")}_ShowsTheNumberOnlyWhereTheResponderHasIt`, async () => {
      const { page, pageErrors } = await openPanel({
        ...activeCallScenario,
        activeCall: {
          id: emergencyCallId,
          callbackNumber: leasedNumber,
          expiresInSeconds: 3595,
          ...(originPath !== undefined ? { originPath } : {}),
        },
      });
      await expect.poll(() => page.getByRole("alert").textContent()).toBe("Emergency call in progress");
      expect(await page.locator(".callback-explanation").textContent()).toMatch(explanation);
      expect((await digitsOnScreen(page)).includes("2065550100")).toBe(numberShown);
      expect(pageErrors).toEqual([]);
      await page.close();
    });
  }

  it("Panel_UnknownPathWithoutLease_SaysWhatIsNotKnownAndShowsNoNumber", async () => {
    const { page } = await openPanel({
      ...activeCallScenario,
      activeCall: { id: emergencyCallId, callbackNumber: null, expiresInSeconds: null, originPath: OriginPath.Unknown },
    });
    await expect.poll(() => page.locator(".callback-explanation").textContent()).toContain("not known");
    expect(await page.locator(".callback-number").textContent()).toBe("None shown");
    expect(await page.getByRole("timer").isVisible()).toBe(false);
    await page.close();
  });

  it("Panel_StartOnMicrosoftPath_ShowsNoNumberEvenIfTheServerSentOne", async () => {
    const { page } = await openPanel({
      ...idleScenario,
      startResponse: {
        body: {
          EmergencyCallId: newEmergencyCallId,
          CallbackPath: "Microsoft",
          CallbackNumber: leasedNumber,
          CallbackDetails: "Left to Microsoft.",
        },
        expiresInSeconds: 3600,
      },
    });
    await page.locator(".idle-message").waitFor();
    await page.evaluate(() => (window as unknown as PanelWindow).EmergencySolution.Panel.startEmergencyCall("911", "US"));
    await expect.poll(() => page.locator(".callback-explanation").textContent()).toContain("933");
    expect(await page.locator(".callback-details").textContent()).toBe("Left to Microsoft.");
    expect((await digitsOnScreen(page)).includes("2065550100")).toBe(false);
    await page.close();
  });

  it("Panel_EndCallClicked_ExecutesEndOnlyAndReturnsToIdle", async () => {
    const { page, pageErrors } = await openPanel(activeCallScenario);
    await page.getByRole("button", { name: "End call" }).click();
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("The emergency call has ended.");
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await visibleControls(page)).toEqual(["I am on an emergency call"]);
    // Presence is the server's job now: End is the only request.
    expect((await platformCalls(page)).slice(1)).toEqual([
      { api: "execute", operationName: "emc_EndEmergencyCall", operationType: 0, parameters: { EmergencyCallId: emergencyCallId } },
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

  it("Panel_StartEmergencyCall_ExecutesStartWithAKeyAndSwitchesToEmergencyMode", async () => {
    const { page, pageErrors } = await openPanel(idleScenario);
    await expect.poll(() => page.locator(".idle-message").textContent()).toBe("No emergency call in progress.");
    expect(await visibleControls(page)).toEqual(["I am on an emergency call"]);

    const outcome = await page.evaluate(() =>
      (window as unknown as PanelWindow).EmergencySolution.Panel.startEmergencyCall("999", "GB", { location: "10 Downing Street, London" }),
    );
    expect(outcome).toEqual({ registered: true, emergencyCallId: newEmergencyCallId, error: null });
    expect(await page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    expect(await visibleControls(page)).toEqual(["Device settings", "End call"]);
    expect(await page.locator(".callback-number").textContent()).toBe("+44 20 7946 0958");
    expect(await page.locator(".warnings li").allTextContents()).toEqual(["The agent's location was not shared."]);
    expect(await page.getByRole("timer").textContent()).toMatch(/^(60:00|59:5\d)$/);

    const start = (await platformCalls(page)).find((call) => call.operationName === "emc_StartEmergencyCall");
    expect(start?.parameters).toMatchObject({ DialedNumber: "999", CountryCode: "GB", Location: "10 Downing Street, London" });
    expect(String(start?.parameters?.["IdempotencyKey"])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Panel_StartFailsTwiceThenAnswers_RetriesWithTheSameKeyAndMakesOneCall", async () => {
    const { page, consoleLines } = await openPanel({
      ...idleScenario,
      startResponse: { ...(idleScenario.startResponse as { body: Record<string, unknown>; expiresInSeconds: number }), failFirst: 2 },
    });
    await page.locator(".idle-message").waitFor();
    const outcome = await page.evaluate(() => (window as unknown as PanelWindow).EmergencySolution.Panel.startEmergencyCall("911", "US"));
    expect(outcome).toEqual({ registered: true, emergencyCallId: newEmergencyCallId, error: null });
    const starts = (await platformCalls(page)).filter((call) => call.operationName === "emc_StartEmergencyCall");
    expect(starts).toHaveLength(3);
    expect(new Set(starts.map((call) => call.parameters?.["IdempotencyKey"])).size).toBe(1);
    expect(consoleLines.filter((line) => line.includes("trying again in"))).toHaveLength(2);
    await page.close();
  });

  it("Panel_ManualStart_UsesTheAgentsCountryNumberAndOneKeyForTheWholeCall", async () => {
    const { page, pageErrors } = await openPanel({ ...idleScenario, agentCountry: "DK" });
    await page.getByRole("button", { name: "I am on an emergency call" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    await expect.poll(() => page.locator(".callback-number").textContent()).toBe("+44 20 7946 0958");
    const calls = await platformCalls(page);
    const start = calls.find((call) => call.operationName === "emc_StartEmergencyCall");
    expect(start?.parameters).toMatchObject({ DialedNumber: "112", CountryCode: "DK" });
    expect(calls.map((call) => call.entity ?? call.operationName)).toEqual([
      "emc_emergencycall",
      "environmentvariabledefinition",
      "systemuser",
      "msdyn_ocliveworkitem",
      "emc_StartEmergencyCall",
    ]);
    expect(start?.parameters?.["ConversationId"]).toBeUndefined();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Panel_ManualStartDuringAnOpenOutboundVoiceConversation_IsKeyedByItAsTheWatcherIs", async () => {
    const conversationId = "5d7f2f0e-3c1a-4c55-9a55-0b3c2f1e9a01";
    const openConversation = { activityid: conversationId, msdyn_isoutbound: true, msdyn_channel: "192370000" };
    const { page, pageErrors } = await openPanel({ ...idleScenario, agentCountry: "US", openConversation });
    await page.getByRole("button", { name: "I am on an emergency call" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    const start = (await platformCalls(page)).find((call) => call.operationName === "emc_StartEmergencyCall");
    expect(start?.parameters).toMatchObject({ DialedNumber: "911", CountryCode: "US" });
    expect(JSON.stringify(start?.parameters?.["IdempotencyKey"])).toContain(conversationId);
    expect(JSON.stringify(start?.parameters?.["ConversationId"])).toContain(conversationId);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Panel_StartFails_StillShowsEmergencyModeAndTheError", async () => {
    const { page, consoleLines } = await openPanel({ ...idleScenario, startResponse: { fail: "The service is unavailable" } });
    await page.locator(".idle-message").waitFor();
    const outcome = await page.evaluate(() => (window as unknown as PanelWindow).EmergencySolution.Panel.startEmergencyCall("911", "US"));
    expect(outcome).toEqual({ registered: false, emergencyCallId: null, error: "The service is unavailable" });
    expect(await page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    expect(await visibleControls(page)).toEqual(["Device settings", "End call"]);
    expect(await page.locator(".emergency .error").textContent()).toContain("The call continues");
    expect(await page.locator(".callback-number").textContent()).toBe("None shown");

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
    await page.evaluate(() => (window as unknown as PanelWindow).EmergencySolution.Panel.startEmergencyCall("911", "US"));
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
});

describe("client dial watcher in chromium", () => {
  async function openWatcherPage(scenario: XrmScenario) {
    const page = await chromium.newPage();
    const pageErrors: string[] = [];
    const consoleLines: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => consoleLines.push(message.text()));
    await page.addInitScript({ content: xrmStubScript(scenario) });
    // A blank page of the app's origin stands for the app window; the bundle loads as a form library would.
    await page.goto(`${server.origin}/emc_/panel/emergency_panel.css`);
    await page.addScriptTag({ url: `${server.origin}/emc_/scripts/dial_watcher.js` });
    await page.evaluate(() =>
      (window as unknown as { EmergencySolution: { DialWatcher: { onLoad(): void } } }).EmergencySolution.DialWatcher.onLoad(),
    );
    return { page, pageErrors, consoleLines };
  }

  const watcherScenario: XrmScenario = {
    ...idleScenario,
    withContactCenterSdk: true,
    startResponse: { body: { EmergencyCallId: newEmergencyCallId, CallbackPath: "Microsoft" }, expiresInSeconds: 3600 },
    rowAfterStart: { id: newEmergencyCallId, callbackNumber: null, expiresInSeconds: 3600, originPath: OriginPath.CallingPlan },
  };

  it("Watcher_NoContactCenterSdk_SaysSoInTheConsoleAndNeverThrows", async () => {
    const { page, pageErrors, consoleLines } = await openWatcherPage({ ...watcherScenario, withContactCenterSdk: false });
    expect(consoleLines.some((line) => line.includes("Contact Center SDK (Microsoft.CCaaS.StandaloneSDK) is not on this page"))).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("Watcher_EmergencyDialLoaded_StartsOnceOpensThePanelAndTheOpenPanelShowsTheCall", async () => {
    const panel = await openPanel({ ...watcherScenario, withContactCenterSdk: false, rowFromLookup: 2 });
    await panel.page.locator(".idle-message").waitFor();
    const { page, pageErrors, consoleLines } = await openWatcherPage(watcherScenario);
    const fire = (eventData: object) =>
      page.evaluate(
        (data) => (window as unknown as { __emcFireConversationLoaded(d: object): void }).__emcFireConversationLoaded(data),
        eventData,
      );
    const event = {
      liveWorkItemId: conversationId,
      conversationType: "Voice",
      createdTimeStamp: "",
      sessionId: "s",
      customerName: "",
      customerPhoneNumber: "911",
    };
    await fire(event);
    await fire(event);
    await expect.poll(async () => (await platformCalls(page)).some((call) => call.operationName === "emc_StartEmergencyCall")).toBe(true);
    await page.waitForTimeout(200);
    const calls = await platformCalls(page);
    const starts = calls.filter((call) => call.operationName === "emc_StartEmergencyCall");
    expect(starts).toHaveLength(1);
    expect(starts[0]?.parameters).toEqual({
      DialedNumber: "911",
      CountryCode: "US",
      ConversationId: conversationId,
      IdempotencyKey: conversationId,
    });
    expect(calls.filter((call) => call.api.startsWith("sidePanes") || call.api === "pane.navigate")).toEqual([
      { api: "sidePanes.getPane", id: "emcEmergencyPanel" },
      { api: "sidePanes.createPane", id: "emcEmergencyPanel" },
      { api: "pane.navigate", entity: "emc_/panel/emergency_panel.html" },
    ]);
    // The panel open in another frame of the app hears of the call and shows it, with the Microsoft-path text.
    await expect.poll(() => panel.page.getByRole("alert").textContent()).toBe("Emergency call in progress");
    await expect.poll(() => panel.page.locator(".callback-explanation").textContent()).toContain("933");
    expect(consoleLines.filter((line) => /911|555/.test(line))).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
    await panel.page.close();
  });

  it("Watcher_AnnouncedCallNotFoundByThePanel_PanelHoldsItByIdShowsNoNumberAndCanEndIt", async () => {
    // The panel's look-up never finds the row (another page's Start, a row not yet readable): it keeps the call by id.
    const panel = await openPanel({ ...watcherScenario, withContactCenterSdk: false });
    await panel.page.locator(".idle-message").waitFor();
    const { page } = await openWatcherPage(watcherScenario);
    await page.evaluate(() =>
      (window as unknown as { __emcFireConversationLoaded(d: object): void }).__emcFireConversationLoaded({
        liveWorkItemId: "6b1f0e2a-1d3c-4e5f-8a9b-0c1d2e3f4a5b",
        conversationType: "Voice",
        createdTimeStamp: "",
        sessionId: "s",
        customerName: "",
        customerPhoneNumber: "911",
      }),
    );
    await expect.poll(() => panel.page.locator(".callback-explanation").textContent()).toContain("not known");
    expect(await panel.page.locator(".callback-number").textContent()).toBe("None shown");
    await panel.page.getByRole("button", { name: "End call" }).click();
    await expect.poll(() => panel.page.locator(".idle-message").textContent()).toBe("The emergency call has ended.");
    expect((await platformCalls(panel.page)).filter((call) => call.operationName === "emc_EndEmergencyCall")).toEqual([
      { api: "execute", operationName: "emc_EndEmergencyCall", operationType: 0, parameters: { EmergencyCallId: newEmergencyCallId } },
    ]);
    await page.close();
    await panel.page.close();
  });

  it("Watcher_OrdinaryOutboundCall_MakesNoRequest", async () => {
    const { page } = await openWatcherPage(watcherScenario);
    await page.evaluate(() =>
      (window as unknown as { __emcFireConversationLoaded(d: object): void }).__emcFireConversationLoaded({
        liveWorkItemId: "6b1f0e2a-1d3c-4e5f-8a9b-0c1d2e3f4a5b",
        conversationType: "Voice",
        createdTimeStamp: "",
        sessionId: "s",
        customerName: "",
        customerPhoneNumber: "+1 206 555 0100",
      }),
    );
    await page.waitForTimeout(200);
    expect((await platformCalls(page)).map((call) => call.api)).toEqual(["sdk.onConversationLoaded"]);
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
    await page.addScriptTag({ url: `${server.origin}/emc_/scripts/dial_watcher.js` });
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
      Panel: ["endCall", "getState", "refresh", "startEmergencyCall", "startManually"],
      DialWatcher: ["isListening", "loadWithApp", "onLoad", "start"],
      RecipientsForm: ["onLoad", "onRecipientsChange"],
      ConversationForm: ["isSaveOrRefreshAllowed", "onLoad"],
    });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
