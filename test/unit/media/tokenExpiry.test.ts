// The media token clock: when it asks for a fresh token, when it expires the connection, far-off expiries
// beyond setTimeout's limit, refreshes, and stop(). Fake timers (no sockets here).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REFRESH_BEFORE_EXPIRY_MS, TokenExpiry } from '../../../server/src/media/TokenExpiry.ts';

const START_MS = Date.UTC(2030, 0, 1);
const DAY_MS = 86_400_000;

function clock() {
  const events: string[] = [];
  const expiry = new TokenExpiry({
    onExpiring: (at) => events.push(`expiring:${at - START_MS}`),
    onExpired: () => events.push(`expired:${Date.now() - START_MS}`),
  });
  return { expiry, events };
}
const expAfter = (ms: number) => (START_MS + ms) / 1000;

beforeEach(() => {
  vi.useFakeTimers({ now: START_MS });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TokenExpiry', () => {
  it('asks for a fresh token 30 s before expiry, once, then expires at expiry', () => {
    const { expiry, events } = clock();
    expiry.set(expAfter(120_000));
    vi.advanceTimersByTime(120_000 - REFRESH_BEFORE_EXPIRY_MS - 1);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['expiring:120000']);
    vi.advanceTimersByTime(REFRESH_BEFORE_EXPIRY_MS - 1);
    expect(events).toEqual(['expiring:120000']);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['expiring:120000', 'expired:120000']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('asks at once when the token is already within the margin', () => {
    const { expiry, events } = clock();
    expiry.set(expAfter(3_000));
    expect(events).toEqual(['expiring:3000']);
    vi.advanceTimersByTime(3_000);
    expect(events).toEqual(['expiring:3000', 'expired:3000']);
  });

  it('expires at once a token that has already expired', () => {
    const { expiry, events } = clock();
    expiry.set(expAfter(-1_000));
    expect(events).toEqual(['expired:0']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits out expiries beyond setTimeout’s 2^31-1 ms limit without firing early', () => {
    const { expiry, events } = clock();
    expiry.set(expAfter(60 * DAY_MS));
    vi.advanceTimersByTime(59 * DAY_MS);
    expect(events).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(DAY_MS);
    expect(events).toEqual([`expiring:${60 * DAY_MS}`, `expired:${60 * DAY_MS}`]);
  });

  it('moves to the refreshed expiry and asks again before that one', () => {
    const { expiry, events } = clock();
    expiry.set(expAfter(10_000));
    vi.advanceTimersByTime(5_000);
    expiry.set(expAfter(100_000));
    vi.advanceTimersByTime(10_000);
    expect(events).toEqual(['expiring:10000']);
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual(['expiring:10000', 'expiring:100000']);
    vi.advanceTimersByTime(25_000);
    expect(events).toEqual(['expiring:10000', 'expiring:100000', 'expired:100000']);
  });

  it('does not ask twice when refreshed with a token of the same expiry', () => {
    const { expiry, events } = clock();
    expiry.set(expAfter(10_000));
    expiry.set(expAfter(10_000));
    expect(events).toEqual(['expiring:10000']);
  });

  it('fires nothing after stop(), and leaves no timer behind', () => {
    const { expiry, events } = clock();
    expiry.set(expAfter(120_000));
    expiry.stop();
    expiry.stop();
    expect(vi.getTimerCount()).toBe(0);
    expiry.set(expAfter(1_000));
    vi.advanceTimersByTime(200_000);
    expect(events).toEqual([]);
  });

  it('stops when the expiring hook closes the connection', () => {
    const events: string[] = [];
    const expiry: TokenExpiry = new TokenExpiry({
      onExpiring: () => {
        events.push('expiring');
        expiry.stop();
      },
      onExpired: () => events.push('expired'),
    });
    expiry.set(expAfter(5_000));
    vi.advanceTimersByTime(10_000);
    expect(events).toEqual(['expiring']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
