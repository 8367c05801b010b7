// PresenceRoom with a stand-in document: a connection that closes while a merged frame is being sent (its
// leave() runs inside broadcast) has its removal sent in the next frame, with its clock, instead of crashing
// the timer that sends it (y-protocols reads the clock of every id it encodes).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { AwarenessEntry } from '../../../../server/src/collab/presence/awarenessUpdate.ts';
import { type PresenceCounts, PresenceRoom } from '../../../../server/src/collab/presence/PresenceRoom.ts';

const text = new TextEncoder();
const entry = (clientId: number, clock: number, state: unknown): AwarenessEntry => ({
  clientId,
  clock,
  json: text.encode(JSON.stringify(state)),
});

interface FakeConnection {
  messageAddress: string;
  context: { user: { id: string; name: string; role: 'student' } };
  sent: Uint8Array[];
  closeCallbacks: (() => void)[];
  onSend?: () => void;
  send(message: Uint8Array): void;
  onClose(callback: () => void): void;
  close(): void;
}

function connection(userId: string): FakeConnection {
  const c: FakeConnection = {
    messageAddress: 'class1/code/main',
    context: { user: { id: userId, name: userId, role: 'student' } },
    sent: [],
    closeCallbacks: [],
    send(message) {
      c.sent.push(message);
      c.onSend?.();
    },
    onClose(callback) {
      c.closeCallbacks.push(callback);
    },
    close() {
      for (const callback of c.closeCallbacks.splice(0)) callback();
    },
  };
  return c;
}

afterEach(() => vi.useRealTimers());

describe('PresenceRoom', () => {
  it('sends the removal of a connection that closed during a send, with its clock', () => {
    vi.useFakeTimers();
    const awareness = new Awareness(new Y.Doc());
    const connections: FakeConnection[] = [];
    const document = { name: 'class1/code/main', awareness, getConnections: () => [...connections] };
    const counts: PresenceCounts = {
      applied: 0,
      framesSent: 0,
      dropped: { foreign: 0, owned_limit: 0, oversize: 0, throttled: 0 },
    };
    const room = new PresenceRoom(
      document as never,
      { maxOwnedClientIds: 4, maxStateBytes: 4096, mergeMs: 50, updatesPerSec: 100 },
      counts,
      () => undefined,
    );
    const ana = connection('ana');
    const li = connection('li');
    connections.push(ana, li);
    room.handleEntries(ana as never, [entry(11, 1, { file: 'a' })]);
    room.handleEntries(li as never, [entry(22, 1, { file: 'b' })]);
    vi.advanceTimersByTime(60);
    // Ana removes her state, and her socket turns out to be gone when that removal is sent to her.
    room.handleEntries(ana as never, [entry(11, 2, null), entry(11, 3, { file: 'a' })]);
    ana.onSend = () => {
      ana.onSend = undefined;
      connections.splice(connections.indexOf(ana), 1);
      ana.close();
    };
    expect(() => vi.advanceTimersByTime(60)).not.toThrow();
    expect(() => vi.advanceTimersByTime(60)).not.toThrow();
    expect(awareness.getStates().has(11)).toBe(false);
    expect(awareness.getStates().get(22)).toMatchObject({ file: 'b' });
    // Li heard the removal, and afterwards the id's clock is gone (no entry kept per closed connection).
    expect(li.sent.length).toBeGreaterThanOrEqual(3);
    expect(awareness.meta.has(11)).toBe(false);
  });
});
