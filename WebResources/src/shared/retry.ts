/**
 * Retries an operation with exponential backoff and full jitter (each wait is a random time between 0 and the
 * current cap), so many agents' browsers that failed together do not retry together. The operation must be safe to
 * repeat: callers of emc_StartEmergencyCall send the same IdempotencyKey on every attempt, so retries make one call.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Cap of the first wait; each further wait doubles the cap, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Start's policy: about 15 seconds at most before the panel says the call could not be registered. */
export const START_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8_000 };

export interface RetryDependencies {
  /** A number in [0, 1); Math.random in the browser, a fixed sequence in tests. */
  readonly random: () => number;
  readonly sleep: (milliseconds: number) => Promise<void>;
}

export const browserRetryDependencies: RetryDependencies = {
  random: () => Math.random(),
  sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

/** The wait before attempt number `retry` + 1 (retry counts from 1): random in [0, min(max, base * 2^(retry-1))). */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}

/**
 * Runs `operation` until it succeeds, `isRetryable` says an error is final, or the attempts run out; then throws the
 * last error. `onRetry` hears of each failure that is retried (for a log line or a panel status).
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  dependencies: RetryDependencies,
  isRetryable: (error: unknown) => boolean,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(error)) throw error;
      const delay = backoffDelay(policy, attempt, dependencies.random);
      onRetry?.(error, attempt, delay);
      await dependencies.sleep(delay);
    }
  }
}

/**
 * The Dataverse error code of a plug-in's refusal (InvalidPluginExecutionException, 0x80040265): Start refused the
 * input (a number that is no emergency number, malformed input). Asking again cannot change that answer.
 */
export const PLUGIN_REFUSAL_ERROR_CODE = -2147220891;

/** Everything but a plug-in's refusal is worth another try: timeouts, throttling (429), network and server faults. */
export function isRetryableStartError(error: unknown): boolean {
  if (typeof error === "object" && error !== null && "errorCode" in error) {
    const code = error.errorCode;
    if (code === PLUGIN_REFUSAL_ERROR_CODE || code === PLUGIN_REFUSAL_ERROR_CODE >>> 0) return false;
  }
  return true;
}
