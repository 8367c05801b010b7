// feedPresence: admission decided asynchronously, refused connections closed, and a connection that closes
// while its admission is pending never counted as present.
import type { Connection } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import { PresenceTracker } from '../../../server/src/classroom/PresenceTracker.ts';
import { type Admission, feedPresence } from '../../../server/src/classroom/presenceFeed.ts';
import type {
  ConnectedListener,
  ConnectionEvents,
  DisconnectedListener,
} from '../../../server/src/collab/connectionEvents.ts';
import type { CollabContext } from '../../../server/src/collab/context.ts';

function fakeEvents() {
  let connected: ConnectedListener = () => {};
  let disconnected: DisconnectedListener = () => {};
  const events: ConnectionEvents = {
    onConnected: (l) => {
      connected = l;
    },
    onDisconnected: (l) => {
      disconnected = l;
    },
  };
  const closes: { code?: number }[] = [];
  const connect = (context: CollabContext) => {
    const connection = { context, close: (e: { code?: number }) => closes.push(e) };
    return connected(connection as unknown as Connection<CollabContext>, context);
  };
  return { events, closes, connect, disconnect: (context: CollabContext) => disconnected(context) };
}

const contextOf = (id: string) =>
  ({
    socket: { authenticatedDocs: 2 },
    user: { id, name: id, role: 'student', classId: 'c' },
    doc: { classId: 'c', kind: 'code', key: 'main' },
  }) as unknown as CollabContext;

describe('feedPresence', () => {
  it('adds an admitted connection once its admission resolves, and removes it on disconnect', async () => {
    const f = fakeEvents();
    const tracker = new PresenceTracker((c) => c);
    feedPresence(f.events, tracker, async () => ({ ok: true }));
    const ana = contextOf('ana');
    await f.connect(ana);
    expect(tracker.isPresent('c', 'ana')).toBe(true);
    f.disconnect(ana);
    expect(tracker.isPresent('c', 'ana')).toBe(false);
  });

  it('never adds a connection that closed while its admission was being decided', async () => {
    const f = fakeEvents();
    const tracker = new PresenceTracker((c) => c);
    let decide: (a: Admission) => void = () => {};
    feedPresence(f.events, tracker, () => new Promise((resolve) => (decide = resolve)));
    const ana = contextOf('ana');
    const admitted = f.connect(ana);
    f.disconnect(ana);
    decide({ ok: true });
    await admitted;
    expect(tracker.isPresent('c', 'ana')).toBe(false);
  });

  it('closes a refused connection without adding it', async () => {
    const f = fakeEvents();
    const tracker = new PresenceTracker((c) => c);
    feedPresence(f.events, tracker, async () => ({ ok: false, reason: 'full' }));
    await f.connect(contextOf('ana'));
    expect(tracker.isPresent('c', 'ana')).toBe(false);
    expect(f.closes).toHaveLength(1);
  });
});
