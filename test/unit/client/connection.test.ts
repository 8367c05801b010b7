// Reconnect backoff and the connection state machine (refusals stop retries; what people are told).
import { describe, expect, it } from 'vitest';
import {
  backoffCeilingMs,
  backoffDelayMs,
  hocuspocusRetryOptions,
  RECONNECT_POLICY,
} from '../../../client/src/collab/backoff.ts';
import {
  type ConnectionState,
  describeConnection,
  INITIAL_CONNECTION,
  nextConnectionState,
  splitAuthReason,
} from '../../../client/src/collab/connectionState.ts';

describe('backoff', () => {
  it('grows exponentially up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffCeilingMs(n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  it('jitters uniformly between the floor and the ceiling', () => {
    expect(backoffDelayMs(3, RECONNECT_POLICY, () => 0)).toBe(RECONNECT_POLICY.minDelayMs);
    expect(backoffDelayMs(3, RECONNECT_POLICY, () => 1)).toBe(8000);
    const samples = Array.from({ length: 200 }, () => backoffDelayMs(4));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...samples)).toBeLessThanOrEqual(16000);
    expect(new Set(samples).size).toBeGreaterThan(50); // spread out, not in lockstep
  });

  it('configures the Hocuspocus websocket with the same policy, jitter on, retrying forever', () => {
    expect(hocuspocusRetryOptions()).toMatchObject({
      delay: 1000,
      factor: 2,
      maxDelay: 30000,
      jitter: true,
      maxAttempts: 0,
    });
  });
});

describe('connection state', () => {
  const run = (events: Parameters<typeof nextConnectionState>[1][]): ConnectionState =>
    events.reduce(nextConnectionState, INITIAL_CONNECTION);

  it('goes online, offline on a drop, and counts reconnect attempts', () => {
    expect(run([{ type: 'open' }])).toEqual({ status: 'online' });
    const dropped = run([{ type: 'open' }, { type: 'close', code: 1006, reason: '', at: 5 }]);
    expect(dropped).toEqual({ status: 'offline', attempt: 0, since: 5, cause: 'closed' });
    expect(nextConnectionState(dropped, { type: 'connecting' })).toEqual({
      status: 'connecting',
      attempt: 1,
    });
  });

  it('says offline at once when the browser goes offline or the heartbeat is unanswered, and online when heard', () => {
    const online = run([{ type: 'open' }]);
    const network = nextConnectionState(online, { type: 'browserOffline', at: 7 });
    expect(network).toEqual({ status: 'offline', attempt: 0, since: 7, cause: 'network' });
    expect(nextConnectionState(online, { type: 'stalled', at: 8 })).toMatchObject({ cause: 'silent' });
    expect(nextConnectionState(network, { type: 'heard' })).toEqual({ status: 'online' });
    // A socket that closed is back only when it opens again.
    const closed = nextConnectionState(network, { type: 'close', code: 1006, reason: '', at: 9 });
    expect(closed).toEqual({ status: 'offline', attempt: 0, since: 7, cause: 'closed' });
    expect(nextConnectionState(closed, { type: 'heard' })).toBe(closed);
    expect(nextConnectionState(online, { type: 'heard' })).toBe(online);
    const refused = run([{ type: 'close', code: 4401, reason: 'token expired', at: 1 }]);
    expect(nextConnectionState(refused, { type: 'browserOffline', at: 2 })).toBe(refused);
  });

  it('treats 4401 and 4403 as refusals that later events do not undo, until a new token arrives', () => {
    const expired = run([{ type: 'open' }, { type: 'close', code: 4401, reason: 'token expired', at: 1 }]);
    expect(expired).toMatchObject({ status: 'refused', reason: 'expired' });
    expect(nextConnectionState(expired, { type: 'connecting' })).toBe(expired);
    expect(nextConnectionState(expired, { type: 'open' })).toBe(expired);
    expect(nextConnectionState(expired, { type: 'tokenChanged' })).toEqual({
      status: 'connecting',
      attempt: 0,
    });
    expect(
      run([{ type: 'close', code: 4403, reason: 'this token is for another class', at: 1 }]),
    ).toMatchObject({
      status: 'refused',
      reason: 'forbidden',
    });
  });

  it('treats 4410 as a removal from the class, from a close or a refused document, with what to do', () => {
    const reason = 'Ines removed you from this class for the rest of the session.';
    const removed = run([{ type: 'open' }, { type: 'close', code: 4410, reason, at: 1 }]);
    expect(removed).toEqual({ status: 'refused', reason: 'removed', message: reason });
    expect(nextConnectionState(removed, { type: 'connecting' })).toBe(removed);
    expect(run([{ type: 'authFailed', reason: `4410 ${reason}` }])).toEqual(removed);
    expect(describeConnection(removed)).toMatch(/removed you from this class.*let you back in/);
  });

  it('reads the server’s "<code> <message>" permission-denied reasons', () => {
    expect(splitAuthReason('4401 token expired')).toEqual({ code: 4401, message: 'token expired' });
    expect(splitAuthReason('permission-denied')).toEqual({ code: 4401, message: 'permission-denied' });
    expect(
      run([{ type: 'authFailed', reason: '4403 a student may not open ws documents of other users' }]),
    ).toMatchObject({
      status: 'refused',
      reason: 'forbidden',
    });
  });

  it('a document refused while a cluster hands its class over (4503) is no refusal: the socket reconnects', () => {
    const online = run([{ type: 'open' }]);
    const handover = '4503 this class is served by another node; reconnecting';
    expect(nextConnectionState(online, { type: 'authFailed', reason: handover })).toBe(online);
    const closed = run([
      { type: 'open' },
      { type: 'authFailed', reason: handover },
      { type: 'close', code: 4503, reason: 'this class is served by another node; reconnecting', at: 1 },
    ]);
    expect(closed).toMatchObject({ status: 'offline', cause: 'closed' });
  });

  it('tells people what to do next', () => {
    expect(describeConnection({ status: 'refused', reason: 'expired', message: '' })).toMatch(
      /expired.*Reopen/,
    );
    expect(describeConnection({ status: 'offline', attempt: 2, since: 0, cause: 'closed' })).toMatch(
      /kept on this device/,
    );
  });
});
