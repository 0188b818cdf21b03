import { describe, expect, it } from "vitest";
import { newGuid } from "../../src/shared/guid";
import { isPanelMessage } from "../../src/shared/panelChannel";

describe("panel channel and keys", () => {
  it("IsPanelMessage_TheThreeAnnouncements_AreAcceptedAndAnythingElseIsNot", () => {
    expect(isPanelMessage({ type: "call-starting", conversationId: "c" })).toBe(true);
    expect(isPanelMessage({ type: "call-registered", conversationId: "c", emergencyCallId: null })).toBe(true);
    expect(isPanelMessage({ type: "call-failed", conversationId: "c", error: "x" })).toBe(true);
    expect(isPanelMessage({ type: "call-started", conversationId: "c" })).toBe(false);
    expect(isPanelMessage({ type: "call-starting" })).toBe(false);
    expect(isPanelMessage("call-starting")).toBe(false);
    expect(isPanelMessage(null)).toBe(false);
  });

  it("NewGuid_Always_IsAVersion4GuidAndDifferentEachTime", () => {
    const keys = new Set(Array.from({ length: 100 }, () => newGuid()));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
