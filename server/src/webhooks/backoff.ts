// When to try a failed webhook delivery again: exponential back-off (each delay 3 times the one before, from
// WEBHOOK_RETRY_BASE_MS) with ±20% jitter so that many receivers failing at once are not retried in step, and a
// receiver's Retry-After (on 429 and 503) honoured as the shortest wait. With the defaults (1 minute, 8
// attempts) the delays are about 1, 3, 9, 27, 81 minutes, 4 and 12 hours: the last attempt ~18 hours after
// the first.

export const BACKOFF_FACTOR = 3;
/** Jitter: each delay is drawn from [1 - JITTER, 1 + JITTER] times its nominal value. */
export const BACKOFF_JITTER = 0.2;
/** No single wait is longer than this, whatever the schedule or a Retry-After says. */
export const MAX_RETRY_DELAY_MS = 12 * 60 * 60_000;

/**
 * The wait after failed attempt number `attempt` (1 = the first attempt). `random` is in [0, 1).
 * Strictly increasing in `attempt` until the cap, whatever the jitter (0.8 * 3 > 1.2).
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number = Math.random()): number {
  const nominal = baseMs * BACKOFF_FACTOR ** Math.max(0, attempt - 1);
  const jittered = nominal * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random);
  return Math.round(Math.min(jittered, MAX_RETRY_DELAY_MS));
}

/**
 * A Retry-After header in milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or
 * unreadable. Negative values (a date in the past) count as 0.
 */
export function parseRetryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The wait before the next attempt: the back-off, or longer when the receiver asked for it (capped). */
export function nextDelayMs(attempt: number, baseMs: number, retryAfterMs?: number, random?: number): number {
  const backoff = retryDelayMs(attempt, baseMs, random);
  if (retryAfterMs === undefined) return backoff;
  return Math.min(Math.max(backoff, retryAfterMs), MAX_RETRY_DELAY_MS);
}
