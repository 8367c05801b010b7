// Reconnect delays: exponential growth with "full jitter" between a floor and the capped exponential value,
// so a class full of clients that lost the server at once does not reconnect in lockstep.

export interface BackoffPolicy {
  /** Delay before the second attempt (the first is immediate). */
  baseDelayMs: number;
  factor: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const RECONNECT_POLICY: Readonly<BackoffPolicy> = Object.freeze({
  baseDelayMs: 1000,
  factor: 2,
  minDelayMs: 500,
  maxDelayMs: 30_000,
});

/** Upper bound for attempt `n` (0-based): base * factor^n, capped. */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy = RECONNECT_POLICY): number {
  const raw = policy.baseDelayMs * policy.factor ** Math.max(0, attempt);
  return Math.min(policy.maxDelayMs, Math.max(policy.minDelayMs, raw));
}

/** The delay before attempt `n`: uniform in [minDelay, ceiling]; `random` is injectable for tests. */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy = RECONNECT_POLICY,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeilingMs(attempt, policy);
  return Math.round(policy.minDelayMs + random() * (ceiling - policy.minDelayMs));
}

/** The same policy in the option names of @hocuspocus/provider's websocket (which uses @lifeomic/attempt). */
export function hocuspocusRetryOptions(policy: BackoffPolicy = RECONNECT_POLICY) {
  return {
    delay: policy.baseDelayMs,
    initialDelay: 0,
    factor: policy.factor,
    minDelay: policy.minDelayMs,
    maxDelay: policy.maxDelayMs,
    jitter: true,
    maxAttempts: 0,
  } as const;
}
