// Presence (awareness) through real providers and raw sockets: a connection sets only its own client ids, small
// states at a capped rate; a flood of ids reaches no one; normal presence arrives merged and leaves on close.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const DOC = 'class1/code/main';
let server: TestServer;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await server.stop();
});

function track<T extends { destroy(): void }>(c: T): T {
  cleanups.push(() => c.destroy());
  return c;
}

async function client(sub: string, name = sub): Promise<CollabClient> {
  const c = track(connectCollab(server, DOC, await server.token({ sub, name, role: 'student' })));
  await c.synced();
  return c;
}

type Entry = [clientId: number, clock: number, state: unknown];

function awarenessFrame(entries: Entry[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(update, id);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, JSON.stringify(state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarString(e, DOC);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
  return encoding.toUint8Array(e);
}

/** An authenticated, established connection on a raw socket, to send frames no provider would. */
async function rawClient(
  sub: string,
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const before = server.tandem.ctx.collab.hocuspocus.getConnectionsCount();
  const ws = new WebSocket(`${server.wsUrl}/collab`);
  ws.binaryType = 'arraybuffer';
  cleanups.push(() => ws.close());
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })),
  );
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  const auth = encoding.createEncoder();
  encoding.writeVarString(auth, DOC);
  encoding.writeVarUint(auth, 2);
  encoding.writeVarUint(auth, 0);
  encoding.writeVarString(auth, await server.token({ sub, role: 'student' }));
  ws.send(encoding.toUint8Array(auth));
  await waitFor(() => server.tandem.ctx.collab.hocuspocus.getConnectionsCount() === before + 1);
  return { ws, closed };
}

const statesAt = (c: CollabClient) => c.provider.awareness!.getStates();
const serverStates = () => server.tandem.ctx.collab.hocuspocus.documents.get(DOC)!.awareness.getStates();
const dropped = () => server.tandem.ctx.metrics.counts.presence.dropped;

describe('presence', () => {
  it('a frame with 5,000 client ids reaches no one and is not kept', async () => {
    server = await startTestServer();
    const watcher = await client('watcher');
    const { ws } = await rawClient('flooder');
    const heapBefore = process.memoryUsage().heapUsed;
    // Under the default 1 MiB MAX_MESSAGE_BYTES, so the frame reaches the presence path.
    const pad = 'x'.repeat(150);
    const flood: Entry[] = Array.from({ length: 5000 }, (_, i) => [1000 + i, 1, { pad, i }]);
    ws.send(awarenessFrame(flood));
    // The flooder's own id (the first it announced) still works: once its marker arrives, the flood went by.
    ws.send(awarenessFrame([[1000, 2, { marker: true }]]));
    await waitFor(() => statesAt(watcher).get(1000)?.marker === true);
    expect(statesAt(watcher).size).toBeLessThanOrEqual(6);
    expect(serverStates().size).toBeLessThanOrEqual(6);
    expect(dropped().owned_limit).toBeGreaterThanOrEqual(4996);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(30 * 1024 * 1024);
  });

  it("a participant cannot overwrite or remove another client's presence", async () => {
    server = await startTestServer();
    const victim = await client('victim', 'Victim');
    const third = await client('third');
    victim.provider.setAwarenessField('cursor', { line: 7 });
    const id = victim.doc.clientID;
    await waitFor(() => statesAt(third).get(id)?.cursor?.line === 7);
    const { ws, closed } = await rawClient('attacker');
    const clock = victim.provider.awareness!.meta.get(id)!.clock;
    ws.send(awarenessFrame([[id, clock + 10, { cursor: { line: 99 }, user: { name: 'Victim' } }]]));
    ws.send(awarenessFrame([[id, clock + 20, null]]));
    ws.send(awarenessFrame([[4242, 1, { marker: true }]]));
    await waitFor(() => statesAt(third).get(4242)?.marker === true);
    expect(statesAt(third).get(id)).toMatchObject({
      cursor: { line: 7 },
      user: { id: 'victim', name: 'Victim' },
    });
    expect(serverStates().get(id)).toMatchObject({ cursor: { line: 7 } });
    // The attacker's own state is shown under the attacker's name, and the victim still moves its cursor.
    expect(statesAt(third).get(4242)?.user).toMatchObject({ id: 'attacker' });
    victim.provider.setAwarenessField('cursor', { line: 8 });
    await waitFor(() => statesAt(third).get(id)?.cursor?.line === 8);
    expect(dropped().foreign).toBeGreaterThanOrEqual(2);
    // Dropping foreign entries is not a reason to close (y-websocket clients echo their peers' states).
    const outcome = await Promise.race([closed, Promise.resolve('open')]);
    expect(outcome).toBe('open');
  });

  it('an id whose owner left can be taken again only by the same person', async () => {
    server = await startTestServer();
    const victim = await client('victim');
    const third = await client('third');
    victim.provider.setAwarenessField('cursor', { line: 7 });
    const id = victim.doc.clientID;
    await waitFor(() => statesAt(third).get(id)?.cursor?.line === 7);
    const clock = victim.provider.awareness!.meta.get(id)!.clock;
    victim.destroy();
    await waitFor(() => !statesAt(third).has(id));
    const attacker = await rawClient('attacker');
    attacker.ws.send(awarenessFrame([[id, clock + 10, { cursor: { line: 99 } }]]));
    attacker.ws.send(awarenessFrame([[4243, 1, { marker: true }]]));
    await waitFor(() => statesAt(third).get(4243)?.marker === true);
    expect(statesAt(third).has(id)).toBe(false);
    // The victim again (a reconnect with the same Y.Doc keeps its client id): the id is theirs.
    const back = await rawClient('victim');
    back.ws.send(awarenessFrame([[id, clock + 11, { cursor: { line: 8 } }]]));
    await waitFor(() => statesAt(third).get(id)?.cursor?.line === 8);
    expect(statesAt(third).get(id)?.user).toMatchObject({ id: 'victim' });
  });

  it('presence sent with authentication, before the document is set up, is held and applied', async () => {
    server = await startTestServer();
    const watcher = await client('watcher');
    const ws = new WebSocket(`${server.wsUrl}/collab`);
    ws.binaryType = 'arraybuffer';
    cleanups.push(() => ws.close());
    await new Promise((resolve) => ws.addEventListener('open', resolve));
    const auth = encoding.createEncoder();
    encoding.writeVarString(auth, DOC);
    encoding.writeVarUint(auth, 2);
    encoding.writeVarUint(auth, 0);
    encoding.writeVarString(auth, await server.token({ sub: 'early', role: 'student' }));
    ws.send(encoding.toUint8Array(auth));
    ws.send(awarenessFrame([[7001, 1, { early: true }]]));
    ws.send(awarenessFrame([[7001, 2, { early: 'again' }]]));
    await waitFor(() => statesAt(watcher).get(7001)?.early === 'again');
    expect(statesAt(watcher).get(7001)?.user).toMatchObject({ id: 'early' });
  });

  it('an oversize state is refused', async () => {
    server = await startTestServer({ PRESENCE_MAX_STATE_BYTES: '2048' });
    const watcher = await client('watcher');
    const { ws } = await rawClient('big');
    ws.send(awarenessFrame([[5001, 1, { pad: 'x'.repeat(4000) }]]));
    ws.send(awarenessFrame([[5002, 1, { marker: true }]]));
    await waitFor(() => statesAt(watcher).get(5002)?.marker === true);
    expect(statesAt(watcher).has(5001)).toBe(false);
    expect(serverStates().has(5001)).toBe(false);
    expect(dropped().oversize).toBe(1);
  });

  it('a malformed awareness frame closes the socket with 4400, others unaffected', async () => {
    server = await startTestServer();
    const watcher = await client('watcher');
    const { ws, closed } = await rawClient('broken');
    const e = encoding.createEncoder();
    encoding.writeVarString(e, DOC);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, new Uint8Array([1, 77, 1, 3, 0x7b, 0x7b, 0x7b])); // one entry, state "{{{"
    ws.send(encoding.toUint8Array(e));
    expect(await closed).toMatchObject({
      code: 4400,
      reason: expect.stringContaining('malformed awareness'),
    });
    const other = await client('other');
    other.provider.setAwarenessField('cursor', { line: 1 });
    await waitFor(() => statesAt(watcher).get(other.doc.clientID)?.cursor?.line === 1);
  });

  it('presence updates are capped per connection; the latest state still arrives', async () => {
    server = await startTestServer({ PRESENCE_MERGE_MS: '0', PRESENCE_UPDATES_PER_SEC: '5' });
    const watcher = await client('watcher');
    const { ws } = await rawClient('fast');
    let seen = 0;
    watcher.provider.awareness!.on('update', ({ added, updated }: { added: number[]; updated: number[] }) => {
      if (added.includes(6001) || updated.includes(6001)) seen++;
    });
    const SENDS = 60;
    const start = Date.now();
    await new Promise<void>((resolve) => {
      let clock = 0;
      const timer = setInterval(() => {
        clock++;
        ws.send(awarenessFrame([[6001, clock, { seq: clock }]]));
        if (clock === SENDS) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    await waitFor(() => statesAt(watcher).get(6001)?.seq === SENDS);
    const seconds = (Date.now() - start) / 1000;
    // Burst of 5, then 5 a second: far fewer than the 60 sent.
    expect(seen).toBeLessThanOrEqual(5 + Math.ceil(seconds * 5) + 1);
    expect(seen).toBeLessThan(SENDS / 2);
    expect(dropped().throttled).toBeGreaterThan(0);
  });

  it('a renewed presence comes back to its sender too (the browser’s heartbeat probe)', async () => {
    server = await startTestServer({ PRESENCE_MERGE_MS: '50' });
    const a = await client('ana', 'Ana');
    const id = a.doc.clientID;
    const awareness = a.provider.awareness!;
    // Clocks of our own id in the presence frames that reach us.
    const echoed: number[] = [];
    a.socket.on('message', ({ data }: { data: ArrayBuffer }) => {
      const frame = decoding.createDecoder(new Uint8Array(data));
      decoding.readVarString(frame);
      if (decoding.readVarUint(frame) !== 1) return;
      const update = decoding.createDecoder(decoding.readVarUint8Array(frame));
      for (let n = decoding.readVarUint(update); n > 0; n--) {
        const clientId = decoding.readVarUint(update);
        const clock = decoding.readVarUint(update);
        decoding.readVarString(update);
        if (clientId === id) echoed.push(clock);
      }
    });
    awareness.setLocalState(awareness.getLocalState());
    const renewed = awareness.meta.get(id)!.clock;
    await waitFor(() => echoed.includes(renewed), { timeoutMs: 2000, message: 'the renewal came back' });
  });

  it('a cursor move reaches others within the merge interval, and presence leaves on disconnect', async () => {
    server = await startTestServer({ PRESENCE_MERGE_MS: '50' });
    const a = await client('ana', 'Ana');
    const b = await client('li');
    const framesBefore = server.tandem.ctx.metrics.counts.presence.framesSent;
    const sent = Date.now();
    for (let line = 1; line <= 5; line++) a.provider.setAwarenessField('cursor', { line });
    const state = await waitFor(
      () =>
        statesAt(b).get(a.doc.clientID)?.cursor?.line === 5 ? statesAt(b).get(a.doc.clientID) : undefined,
      {
        intervalMs: 2,
      },
    );
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(state.user).toMatchObject({ id: 'ana', name: 'Ana', role: 'student' });
    // Five changes in one interval travel as one merged frame (plus, at most, one already under way).
    expect(server.tandem.ctx.metrics.counts.presence.framesSent - framesBefore).toBeLessThanOrEqual(2);
    const id = a.doc.clientID;
    a.destroy();
    await waitFor(() => !statesAt(b).has(id));
    expect(serverStates().has(id)).toBe(false);
  });
});
