// Joiners with nothing yet share one encoding of the document per version (server/src/collab/SharedFullStates.ts),
// through real providers against the real server: identical documents for all, never a stale encoding, the
// diff path for a client that already has content, read-only and refused connections as before, and a document
// larger than MAX_MESSAGE_BYTES still served whole. Storage plays no part here, so SQLite only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MIN_SHARED_STATE_BYTES } from '../../../server/src/collab/SharedFullStates.ts';
import { clientTracker, connectCollab, connectYjs } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const DOC = 'class1/code/main';
/** Large enough for the shared encoding to be kept. */
const BIG = 'x'.repeat(MIN_SHARED_STATE_BYTES + 1000);

let server: TestServer;
const { track, destroyAll } = clientTracker();

/** Long texts compared by start and length, so a failure prints a line instead of kilobytes. */
const brief = (s: string) => (s.length > 40 ? `${s.slice(0, 20)}… (${s.length} chars)` : s);
const textOf = (doc: Y.Doc) => brief(doc.getText('t').toString());

const counts = () => ({ ...server.tandem.ctx.metrics.counts.fullSyncs });

async function join(sub: string, role: 'student' | 'observer' = 'student', doc?: Y.Doc) {
  const client = track(connectCollab(server, DOC, await server.token({ sub, role }), undefined, doc));
  await client.synced();
  return client;
}

/** An author who wrote `text` into the document and had it acknowledged. */
async function author(text: string) {
  const client = await join('ana');
  client.doc.getText('t').insert(0, text);
  await client.saved();
  return client;
}

describe('shared full-state sync', () => {
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    destroyAll();
    await server.stop();
  });

  it('joiners between two updates get identical documents from one encoding', async () => {
    const ana = await author(BIG);
    const before = counts();
    const joiners = await Promise.all(['b', 'c', 'd', 'e', 'f', 'g'].map((sub) => join(sub)));
    const expected = Y.encodeStateAsUpdate(ana.doc);
    for (const j of joiners) {
      expect(textOf(j.doc)).toBe(brief(BIG));
      expect(Y.encodeStateAsUpdate(j.doc)).toEqual(expected);
    }
    const after = counts();
    expect(after.encoded - before.encoded).toBe(1);
    expect(after.shared - before.shared).toBe(joiners.length - 1);
  });

  it('a joiner after an edit gets the edit (the edit drops the shared encoding)', async () => {
    const ana = await author(BIG);
    const early = await join('li');
    expect(textOf(early.doc)).toBe(brief(BIG));
    const before = counts();
    ana.doc.getText('t').insert(0, 'edited ');
    await ana.saved();
    // The broadcast of the edit went out before this joiner existed: only its sync step 2 can carry the edit.
    const late = await join('mo');
    expect(textOf(late.doc)).toBe(brief(`edited ${BIG}`));
    expect(counts().encoded - before.encoded).toBe(1);
    await waitFor(() => early.doc.getText('t').toString() === `edited ${BIG}`);
  });

  it('a client that already has part of the state keeps the diff path and converges', async () => {
    const ana = await author(BIG);
    // A returning client: it has the document up to now, then both sides change while it is away.
    const known = await join('li');
    const mine = known.doc;
    known.destroy();
    ana.doc.getText('t').insert(0, 'server side ');
    await ana.saved();
    mine.getText('t').insert(mine.getText('t').length, ' offline');
    const before = counts();
    const returning = await join('li', 'student', mine);
    const expected = `server side ${BIG} offline`;
    await waitFor(() => ana.doc.getText('t').toString() === expected);
    await waitFor(() => returning.doc.getText('t').toString() === expected);
    // Its state vector was not empty: neither encoded whole nor answered from the shared encoding.
    expect(counts()).toEqual(before);
  });

  it('read-only joiners are served from the shared encoding and still cannot write', async () => {
    const ana = await author(BIG);
    const before = counts();
    const observers = await Promise.all(['o1', 'o2'].map((sub) => join(sub, 'observer')));
    for (const o of observers) {
      expect(o.scope()).toBe('readonly');
      expect(textOf(o.doc)).toBe(brief(BIG));
    }
    expect(counts().shared - before.shared).toBe(1);
    observers[0]!.doc.getText('t').insert(0, 'nope');
    // An edit that reached the server would reach the author; a marker edit after it proves the order.
    ana.doc.getText('t').insert(0, 'marker ');
    await ana.saved();
    await waitFor(() => observers[1]!.doc.getText('t').toString() === `marker ${BIG}`);
    expect(textOf(ana.doc)).toBe(brief(`marker ${BIG}`));
  });

  it('a refused connection gets no state, and the shared encoding is untouched by it', async () => {
    await author(BIG);
    const before = counts();
    const stranger = track(
      connectCollab(server, DOC, await server.token({ sub: 'x', role: 'student', cls: 'class2' })),
    );
    await waitFor(() => stranger.closes.length > 0 || stranger.denied.length > 0);
    expect(stranger.doc.getText('t').length).toBe(0);
    expect(counts()).toEqual(before);
    const next = await join('li');
    expect(textOf(next.doc)).toBe(brief(BIG));
  });

  it('y-websocket joiners (bridged) get the same state', async () => {
    const ana = await author(BIG);
    const clients = await Promise.all(
      ['y1', 'y2'].map(async (sub) =>
        track(connectYjs(server, DOC, await server.token({ sub, role: 'student' }))),
      ),
    );
    for (const c of clients) await waitFor(() => c.doc.getText('t').toString() === BIG);
    expect(Y.encodeStateAsUpdate(clients[1]!.doc)).toEqual(Y.encodeStateAsUpdate(ana.doc));
  });
});

describe('a document larger than MAX_MESSAGE_BYTES', () => {
  const MAX_MESSAGE_BYTES = 4096;
  beforeEach(async () => {
    server = await startTestServer({ MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) });
  });
  afterEach(async () => {
    destroyAll();
    await server.stop();
  });

  it('is built from updates under the limit and served whole to every joiner, as before', async () => {
    const ana = await join('ana');
    const chunk = 'y'.repeat(MAX_MESSAGE_BYTES / 2);
    for (let i = 0; i < 6; i++) {
      ana.doc.getText('t').insert(0, chunk);
      await ana.saved();
    }
    expect(Y.encodeStateAsUpdate(ana.doc).byteLength).toBeGreaterThan(2 * MAX_MESSAGE_BYTES);
    const before = counts();
    const joiners = await Promise.all(['b', 'c', 'd'].map((sub) => join(sub)));
    for (const j of joiners) expect(textOf(j.doc)).toBe(brief(chunk.repeat(6)));
    expect(counts().shared - before.shared).toBe(2);
    // Joiners keep writing normally afterwards.
    joiners[0]!.doc.getText('t').insert(0, 'after ');
    await joiners[0]!.saved();
    await waitFor(() => ana.doc.getText('t').toString() === `after ${chunk.repeat(6)}`);
  });
});

describe('a stored document opened cold (storedStateAnswers.ts)', () => {
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    destroyAll();
    await server.stop();
  });

  const loaded = () => server.tandem.ctx.collab.hocuspocus.documents.has(DOC);

  /** Writes `text`, then lets every client go so the document unloads: the next joiner loads it from storage. */
  async function stored(text: string): Promise<Y.Doc> {
    const ana = await author(text);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ana.doc));
    destroyAll();
    await waitFor(() => !loaded());
    return copy;
  }

  it('sends the first joiner the stored state while loading, and shares it with the next without encoding', async () => {
    const expected = await stored(BIG);
    const before = counts();
    const first = await join('li');
    expect(textOf(first.doc)).toBe(brief(BIG));
    expect(Y.encodeStateVector(first.doc)).toEqual(Y.encodeStateVector(expected));
    const afterFirst = counts();
    expect(afterFirst.stored - before.stored).toBe(1);
    expect(afterFirst.encoded - before.encoded).toBe(0);
    // The document was built from the bytes it was sent: the next joiner is served those, still no encoding.
    const second = await join('mo');
    expect(textOf(second.doc)).toBe(brief(BIG));
    const afterSecond = counts();
    expect(afterSecond.shared - afterFirst.shared).toBe(1);
    expect(afterSecond.encoded - afterFirst.encoded).toBe(0);
    // Both keep writing, and see each other's writes.
    first.doc.getText('t').insert(0, 'one ');
    await first.saved();
    await waitFor(() => second.doc.getText('t').toString() === `one ${BIG}`);
  });

  it('a joiner after a change to the loaded document gets the change, not the stored state', async () => {
    await stored(BIG);
    const first = await join('li');
    first.doc.getText('t').insert(0, 'changed ');
    await first.saved();
    const before = counts();
    const late = await join('mo');
    expect(textOf(late.doc)).toBe(brief(`changed ${BIG}`));
    expect(counts().encoded - before.encoded).toBe(1);
  });

  it('the stored state and the log after it reach the first joiner whole', async () => {
    const ana = await author(BIG);
    // Written after the document's last snapshot: loaded from the log, merged with the snapshot.
    for (let i = 0; i < 5; i++) {
      ana.doc.getText('t').insert(0, `${i}`);
      await ana.saved();
    }
    destroyAll();
    await waitFor(() => !loaded());
    const first = await join('li');
    expect(textOf(first.doc)).toBe(brief(`43210${BIG}`));
  });

  it('a returning client with part of the document takes the diff path, not the stored state', async () => {
    const ana = await author(BIG);
    const mine = new Y.Doc();
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(ana.doc));
    ana.doc.getText('t').insert(0, 'server side ');
    await ana.saved();
    destroyAll();
    await waitFor(() => !loaded());
    mine.getText('t').insert(mine.getText('t').length, ' offline');
    const before = counts();
    const returning = await join('li', 'student', mine);
    await waitFor(() => returning.doc.getText('t').toString() === `server side ${BIG} offline`);
    expect(counts().stored).toBe(before.stored);
  });

  it('a refused connection is sent nothing of the stored document', async () => {
    await stored(BIG);
    const stranger = track(
      connectCollab(server, DOC, await server.token({ sub: 'x', role: 'student', cls: 'class2' })),
    );
    await waitFor(() => stranger.closes.length > 0 || stranger.denied.length > 0);
    expect(stranger.doc.getText('t').length).toBe(0);
    expect(loaded()).toBe(false);
  });
});
