// The webhook retry schedule: exponential with bounded jitter, always increasing, capped, and a receiver's
// Retry-After honoured as the shortest wait.
import { describe, expect, it } from 'vitest';
import {
  MAX_RETRY_DELAY_MS,
  nextDelayMs,
  parseRetryAfterMs,
  retryDelayMs,
} from '../../../server/src/webhooks/backoff.ts';

const MINUTE = 60_000;

describe('webhook back-off', () => {
  it('triples each delay from the base, ±20% jitter', () => {
    const middle = [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, MINUTE, 0.5));
    expect(middle).toEqual([1, 3, 9, 27, 81].map((m) => m * MINUTE));
    expect(retryDelayMs(1, MINUTE, 0)).toBe(0.8 * MINUTE);
    expect(retryDelayMs(1, MINUTE, 0.999999)).toBeCloseTo(1.2 * MINUTE, -1);
  });

  it('with the defaults, spreads 8 attempts over most of a day, each wait longer than the last', () => {
    for (const random of [0, 0.5, 0.999]) {
      const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, MINUTE, random));
      for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]!);
      const total = waits.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(12 * 60 * MINUTE);
      expect(total).toBeLessThan(24 * 60 * MINUTE);
    }
    // Even the lowest draw after a high one increases: 0.8 * 3 > 1.2.
    expect(retryDelayMs(2, MINUTE, 0)).toBeGreaterThan(retryDelayMs(1, MINUTE, 0.999));
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs(20, MINUTE, 0.999)).toBe(MAX_RETRY_DELAY_MS);
    expect(nextDelayMs(1, MINUTE, 10 * 24 * 60 * MINUTE, 0.5)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('Wed, 02 Dec 2026 12:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfterMs('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  it('waits for Retry-After when it is longer than the back-off, never shorter than the back-off', () => {
    expect(nextDelayMs(1, MINUTE, 5 * MINUTE, 0.5)).toBe(5 * MINUTE);
    expect(nextDelayMs(3, MINUTE, 1000, 0.5)).toBe(9 * MINUTE);
    expect(nextDelayMs(2, MINUTE, undefined, 0.5)).toBe(3 * MINUTE);
  });
});
