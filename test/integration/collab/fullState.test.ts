// Joiners with nothing yet share one encoding of the document per version (server/src/collab/fullState.ts):
// real providers against the real server, on both storage engines. The encoding must never be stale: a join
// right after an update gets that update.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fullSyncCounts } from '../../../server/src/collab/fullState.ts';
import { openStorage } from '../../../server/src/storage/openStorage.ts';
import { clientTracker, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const DOC = 'class1/code/main';
let server: EngineTestServer;
const { track, destroyAll } = clientTracker();

async function join(sub: string) {
  const client = track(connectCollab(server, DOC, await server.token({ sub, role: 'student' })));
  await client.synced();
  return client;
}

describe.each(STORAGE_ENGINES)('shared full-state sync: %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
  });
  afterEach(async () => {
    destroyAll();
    await server.stop();
  });

  it('a join right after an update gets the update (the shared encoding is dropped by it)', async () => {
    const author = await join('ana');
    author.doc.getText('t').insert(0, 'hello');
    await author.saved();
    const answered = fullSyncCounts.answered;
    const early = await join('li');
    expect(early.doc.getText('t').toString()).toBe('hello');
    author.doc.getText('t').insert(5, ' world');
    await author.saved();
    // The update reached the server before this join; only the join's own sync step 2 can carry it, because the
    // broadcast went out before the joiner was there. A stale shared encoding would leave it at "hello".
    const late = await join('mo');
    expect(late.doc.getText('t').toString()).toBe('hello world');
    expect(fullSyncCounts.answered - answered).toBe(2);
  });

  it('joiners between two updates are answered from one encoding', async () => {
    const author = await join('ana');
    author.doc.getText('t').insert(0, 'shared');
    await author.saved();
    const encoded = fullSyncCounts.encoded;
    const answered = fullSyncCounts.answered;
    const joiners = await Promise.all(['b', 'c', 'd', 'e'].map((sub) => join(sub)));
    for (const j of joiners) expect(j.doc.getText('t').toString()).toBe('shared');
    expect(fullSyncCounts.answered - answered).toBe(4);
    expect(fullSyncCounts.encoded - encoded).toBeLessThanOrEqual(1);
  });

  it('a client that already has content keeps the diff path and both sides converge', async () => {
    const author = await join('ana');
    author.doc.getText('t').insert(0, 'server side');
    await author.saved();
    const offline = new Y.Doc();
    offline.getText('t').insert(0, 'offline ');
    const answered = fullSyncCounts.answered;
    const returning = track(
      connectCollab(server, DOC, await server.token({ sub: 'li', role: 'student' }), undefined, offline),
    );
    await returning.synced();
    await waitFor(() => author.doc.getText('t').length === 'offline server side'.length);
    expect(returning.doc.getText('t').toString()).toBe(author.doc.getText('t').toString());
    expect(fullSyncCounts.answered).toBe(answered);
  });

  it('a cold load answers the first joiner from the loaded state and stores a merged log tail as a snapshot', async () => {
    const author = await join('ana');
    for (let i = 0; i < 20; i++) {
      author.doc.getText('t').insert(i, 'x');
      await author.saved();
    }
    destroyAll();
    const { hocuspocus } = server.tandem.ctx.collab;
    await waitFor(() => !hocuspocus.documents.has(DOC), { timeoutMs: 10_000, message: 'document unloaded' });
    const encoded = fullSyncCounts.encoded;
    const first = await join('li');
    expect(first.doc.getText('t').toString()).toBe('x'.repeat(20));
    // The loaded state went out as it was: nothing was encoded for this join.
    expect(fullSyncCounts.encoded).toBe(encoded);
    destroyAll();
    await waitFor(() => !hocuspocus.documents.has(DOC), { timeoutMs: 10_000, message: 'document unloaded' });
    // The next load reads one snapshot and no log tail.
    const loaded = await server.tandem.ctx.storage.documents.load(DOC);
    expect(loaded.pendingLogEntries).toBe(0);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, loaded.state!);
    expect(doc.getText('t').toString()).toBe('x'.repeat(20));
  });

  it('a stored update that cannot be integrated (dropped at load) is not in what the first joiner gets', async () => {
    const author = await join('ana');
    author.doc.getText('t').insert(0, 'hello');
    await author.saved();
    destroyAll();
    // A peer's second edit without its first: loading the document holds it as pending, and drops it.
    const peer = new Y.Doc();
    const updates: Uint8Array[] = [];
    peer.on('update', (u: Uint8Array) => updates.push(u));
    peer.getText('t').insert(0, 'lost');
    peer.getText('t').insert(4, '!');
    server = await server.restart({
      whileStopped: async ({ dataDir, schema }) => {
        const storage = await openStorage(
          schema ? { engine: 'postgres', url: schema.schemaUrl } : { engine: 'sqlite', dataDir },
          { historyRetentionDays: 30, log: pino({ level: 'silent' }) },
        );
        await storage.documents.load(DOC);
        storage.documents.append(DOC, updates[1]!, null);
        await storage.close();
      },
    });
    const first = await join('li');
    expect(first.doc.getText('t').toString()).toBe('hello');
    expect(first.doc.store.pendingStructs).toBeNull();
  });
});
