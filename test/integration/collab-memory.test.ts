// What a closed connection leaves behind: after hundreds of connect/auth/sync/edit/disconnect cycles (and
// refusals), every per-connection and per-document structure of the server is back to its size before them.
// Counts, not timing or RSS (bench:soak measures memory); and the per-socket document cap's refusal.
import { afterEach, describe, expect, it } from 'vitest';
import { type CollabClient, clientTracker, connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';

const CYCLES = 300;
const IN_FLIGHT = 10;

/** Sizes of everything the server keeps per connection, document or named class (private fields read here only). */
function held(server: TestServer) {
  const { collab } = server.tandem.ctx;
  const hp = collab.hocuspocus;
  const priv = <T>(o: unknown, key: string) => (o as Record<string, T>)[key]!;
  // On SQLite (startTestServer) the DocumentStore behind the async DocumentStorage contract.
  const store = priv<unknown>(collab.store, 'store');
  return {
    documents: hp.documents.size,
    loading: hp.loadingDocuments.size,
    unloading: hp.unloadingDocuments.size,
    storeSeqs: priv<Map<string, number>>(store, 'lastSeq').size,
    storeEnsured: priv<Set<string>>(store, 'ensured').size,
    lockCache: priv<Map<string, unknown>>(collab.locks, 'cache').size,
    timers: process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length,
  };
}

describe('collab memory', () => {
  let server: TestServer | undefined;
  const clients = clientTracker();
  afterEach(async () => {
    clients.destroyAll();
    await server?.stop();
    server = undefined;
  });

  it(`is back to its baseline after ${CYCLES} connect/disconnect cycles and refusals`, async () => {
    server = await startTestServer();
    const s = server;
    const student = await s.token({ sub: 'stu', role: 'student' });
    const connections = () => s.tandem.ctx.collab.hocuspocus.getConnectionsCount();
    const idle = () => connections() === 0 && s.tandem.ctx.collab.hocuspocus.documents.size === 0;
    // One cycle first, so lazily created singletons (statements, caches of the token's class) exist.
    const warm = clients.track(connectCollab(s, 'class1/code/warm', student));
    await warm.synced();
    warm.destroy();
    await waitFor(idle, { timeoutMs: 10_000, message: 'idle after the first cycle' });
    const baseline = held(s);

    let next = 0;
    const worker = async () => {
      for (let i = next++; i < CYCLES; i = next++) {
        // Every tenth cycle names a document of a class the token is not for: refused.
        const name = i % 10 === 9 ? `other${i}/code/main` : `class1/code/doc${i % 7}`;
        const c: CollabClient = connectCollab(s, name, student);
        try {
          if (i % 10 === 9) {
            await waitFor(() => c.denied.length > 0 || c.closes.length > 0, { message: `${name} refused` });
          } else {
            await c.synced();
            c.doc.getText('t').insert(0, `cycle ${i}`);
            await c.saved();
          }
        } finally {
          c.destroy();
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await waitFor(idle, { timeoutMs: 20_000, message: 'every connection and document let go' });
    // Timers: none left per connection (a few server-wide ones come and go).
    await waitFor(() => held(s).timers <= baseline.timers, {
      timeoutMs: 10_000,
      message: 'timers back to baseline',
    });
    expect({ ...held(s), timers: baseline.timers }).toEqual(baseline);
  });

  it('keeps no presence entry per closed connection while the document stays open', async () => {
    server = await startTestServer();
    const s = server;
    const name = 'class1/code/presence';
    const awareness = () => s.tandem.ctx.collab.hocuspocus.documents.get(name)!.awareness;
    const anchor = clients.track(
      connectCollab(s, name, await s.token({ sub: 'teacher', role: 'instructor' })),
    );
    await anchor.synced();
    anchor.provider.setAwarenessField('cursor', { line: 0 });
    const anchorId = anchor.provider.awareness!.clientID;
    await waitFor(() => awareness().states.has(anchorId), { message: 'anchor presence on the server' });
    const student = await s.token({ sub: 'stu', role: 'student' });
    // The anchor's entry, and the server document's own (empty) one.
    const metaBefore = awareness().meta.size;
    const CYCLES_WITH_PRESENCE = 60;
    for (let i = 0; i < CYCLES_WITH_PRESENCE; i++) {
      const c = connectCollab(s, name, student);
      await c.synced();
      c.provider.setAwarenessField('cursor', { line: i });
      const id = c.provider.awareness!.clientID;
      await waitFor(() => anchor.provider.awareness!.getStates().has(id), { message: `cycle ${i} seen` });
      c.destroy();
      await waitFor(() => !anchor.provider.awareness!.getStates().has(id), { message: `cycle ${i} gone` });
    }
    // Only the anchor's own entry is left: states and the clocks kept beside them.
    expect(awareness().states.size).toBe(1);
    expect(awareness().meta.size).toBe(metaBefore);
  });

  it('refuses one document past MAX_DOCUMENTS_PER_SOCKET with a reason, and keeps the socket', async () => {
    server = await startTestServer({ MAX_DOCUMENTS_PER_SOCKET: '3' });
    const token = await server.token({ sub: 'stu', role: 'student' });
    const first = clients.track(connectCollab(server, 'class1/code/a', token));
    const open = [first];
    for (const name of ['class1/code/b', 'class1/code/c']) {
      open.push(clients.track(connectCollab(server, name, token, first.socket)));
    }
    await Promise.all(open.map((c) => c.synced()));
    const fourth = clients.track(connectCollab(server, 'class1/code/d', token, first.socket));
    await waitFor(() => fourth.denied.length > 0, { message: 'fourth document refused' });
    expect(fourth.denied[0]).toMatch(/^4429 one connection may have at most 3 documents open/);
    // The three open documents keep working on the same socket.
    first.doc.getText('t').insert(0, 'still here');
    await first.saved();
    expect(first.closes).toEqual([]);
    // Closing one makes room for another.
    open[2]!.provider.destroy();
    const fifth = clients.track(connectCollab(server, 'class1/code/e', token, first.socket));
    await fifth.synced();
  });
});
