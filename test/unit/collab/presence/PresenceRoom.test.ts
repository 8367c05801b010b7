// PresenceRoom with a real Awareness and connections that behave like Hocuspocus's: sending on a socket that is
// closing closes the connection at once, inside the room's own broadcast. The removal that close queues must
// still have its clock when the next merged frame goes out (it used to be dropped with the removals just sent,
// and the next flush threw inside a timer).
import type { Connection, Document } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CollabContext } from '../../../../server/src/collab/context.ts';
import { PresenceRoom } from '../../../../server/src/collab/presence/PresenceRoom.ts';

const OPTIONS = { mergeMs: 20, updatesPerSec: 50, maxOwnedClientIds: 4, maxStateBytes: 4096 };

interface FakeConnection {
  connection: Connection<CollabContext>;
  sent: Uint8Array[];
  /** The next send finds the socket closing (as after the peer went away). */
  closing: boolean;
}

function fakeConnection(userId: string, live: Set<FakeConnection>): FakeConnection {
  const closers: (() => void)[] = [];
  const fake: FakeConnection = { sent: [], closing: false, connection: undefined as never };
  const close = () => {
    if (!live.delete(fake)) return;
    for (const closer of closers) closer();
  };
  fake.connection = {
    context: { user: { id: userId, name: userId, role: 'student', classId: 'c' } },
    messageAddress: 'c/code/main',
    onClose: (closer: () => void) => closers.push(closer),
    // Hocuspocus's Connection.send: on a closing socket it closes the connection instead of sending.
    send: (message: Uint8Array) => (fake.closing ? close() : fake.sent.push(message)),
  } as unknown as Connection<CollabContext>;
  live.add(fake);
  return fake;
}

const entry = (clientId: number, clock: number, state: object | null) => ({
  clientId,
  clock,
  json: new TextEncoder().encode(JSON.stringify(state)),
});

/** A room over a real Awareness (the server's own state unset) and the set of connections still open. */
function roomOfTest() {
  vi.useFakeTimers();
  const live = new Set<FakeConnection>();
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(null);
  const document = {
    awareness,
    getConnections: () => [...live].map((f) => f.connection),
  } as unknown as Document;
  const emptied: PresenceRoom[] = [];
  const room = new PresenceRoom(
    document,
    OPTIONS,
    { applied: 0, framesSent: 0, dropped: {} as never },
    { roomEmpty: (r) => emptied.push(r) },
  );
  return { live, awareness, room, emptied };
}

describe('PresenceRoom', () => {
  afterEach(() => vi.useRealTimers());

  it('tells its owner once its last member has left, not before', () => {
    const { live, room, emptied } = roomOfTest();
    const ana = fakeConnection('ana', live);
    const ben = fakeConnection('ben', live);
    room.join(ana.connection);
    room.join(ben.connection);
    room.leave(ana.connection);
    expect(emptied).toEqual([]);
    room.leave(ben.connection);
    expect(emptied).toEqual([room]);
  });

  it('keeps the clock of a removal queued by a connection closing during its own broadcast', () => {
    const { live, awareness, room } = roomOfTest();
    const ana = fakeConnection('ana', live);
    const ben = fakeConnection('ben', live);
    room.handleEntries(ben.connection, [entry(2, 1, { name: 'ben' })]);
    vi.advanceTimersByTime(OPTIONS.mergeMs);
    // Ana's state is pending; her socket is closing: the broadcast's send to her closes her connection.
    room.handleEntries(ana.connection, [entry(1, 1, { name: 'ana' })]);
    ana.closing = true;
    vi.advanceTimersByTime(OPTIONS.mergeMs);
    expect(live.has(ana)).toBe(false);
    // Her removal goes out with the next frame.
    expect(() => vi.advanceTimersByTime(OPTIONS.mergeMs)).not.toThrow();
    expect(awareness.states.has(1)).toBe(false);
    // Ben got three frames (his state, Ana's state, her removal); then her removal's clock is dropped.
    expect(ben.sent).toHaveLength(3);
    expect(awareness.meta.has(1)).toBe(false);
  });

  it('lets others see an owner again at once when it comes back with its next clock', () => {
    const { live, room } = roomOfTest();
    const ben = fakeConnection('ben', live);
    room.handleEntries(ben.connection, [entry(2, 1, { name: 'ben' })]);
    // What Ben's browser holds: every frame the room sent him, applied as y-protocols does.
    const seenByBen = new Awareness(new Y.Doc());
    const catchUp = () => {
      for (const frame of ben.sent.splice(0)) {
        const decoder = decoding.createDecoder(frame);
        decoding.readVarString(decoder); // document address
        decoding.readVarUint(decoder); // message type (awareness)
        applyAwarenessUpdate(seenByBen, decoding.readVarUint8Array(decoder), 'server');
      }
    };
    const ana = fakeConnection('ana', live);
    room.handleEntries(ana.connection, [entry(1, 5, { name: 'ana' })]);
    vi.advanceTimersByTime(OPTIONS.mergeMs);
    catchUp();
    expect(seenByBen.getStates().get(1)).toMatchObject({ name: 'ana' });
    // Her network drops: everyone is told she left.
    live.delete(ana);
    room.leave(ana.connection);
    vi.advanceTimersByTime(OPTIONS.mergeMs);
    catchUp();
    expect(seenByBen.getStates().has(1)).toBe(false);
    // She is back (a new connection, the same client id) and renews her state with her next clock.
    const anaAgain = fakeConnection('ana', live);
    room.handleEntries(anaAgain.connection, [entry(1, 6, { name: 'ana', file: 'main.py' })]);
    vi.advanceTimersByTime(OPTIONS.mergeMs);
    catchUp();
    expect(seenByBen.getStates().get(1)).toMatchObject({ name: 'ana', file: 'main.py' });
  });
});
