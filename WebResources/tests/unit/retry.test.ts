import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  isRetryableStartError,
  PLUGIN_REFUSAL_ERROR_CODE,
  retryWithBackoff,
  START_RETRY_POLICY,
} from "../../src/shared/retry";

describe("retry with backoff and jitter", () => {
  it("BackoffDelay_FullJitter_StaysBelowADoublingCapUpToTheMaximum", () => {
    const highest = () => 0.999999;
    const caps = [1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelay(START_RETRY_POLICY, retry, highest));
    expect(caps).toEqual([499, 999, 1999, 3999, 7999, 7999, 7999]);
    expect(backoffDelay(START_RETRY_POLICY, 3, () => 0)).toBe(0);
  });

  it("StartPolicy_WorstCase_WaitsAtMostAboutFifteenSeconds", () => {
    let total = 0;
    for (let retry = 1; retry < START_RETRY_POLICY.attempts; retry++) total += backoffDelay(START_RETRY_POLICY, retry, () => 0.999999);
    expect(total).toBeLessThanOrEqual(15_000);
  });

  it("IsRetryableStartError_PluginRefusalSignedOrUnsigned_IsFinalAndAnythingElseIsRetried", () => {
    expect(isRetryableStartError({ errorCode: PLUGIN_REFUSAL_ERROR_CODE })).toBe(false);
    expect(isRetryableStartError({ errorCode: 0x80040265 })).toBe(false);
    expect(isRetryableStartError({ errorCode: -2147204784 })).toBe(true);
    expect(isRetryableStartError(new Error("timeout"))).toBe(true);
    expect(isRetryableStartError("offline")).toBe(true);
  });

  it("RetryWithBackoff_ReportsEachRetryAndStopsOnSuccess", async () => {
    const heard: Array<[number, number]> = [];
    const result = await retryWithBackoff(
      (attempt) => (attempt < 3 ? Promise.reject(new Error(`fault ${attempt}`)) : Promise.resolve("done")),
      { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
      { random: () => 0.5, sleep: () => Promise.resolve() },
      () => true,
      (_error, attempt, delay) => heard.push([attempt, delay]),
    );
    expect(result).toBe("done");
    expect(heard).toEqual([
      [1, 50],
      [2, 100],
    ]);
  });
});
