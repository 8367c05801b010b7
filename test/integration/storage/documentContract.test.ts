// The storage contract for documents, versions and class locks, run against every engine (SQLite and
// PostgreSQL) with the same cases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { OpenedStorage } from '../../../server/src/storage/openStorage.ts';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

/** The updates a Y.Doc emits while `fn` edits it. */
function updatesOf(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  const listener = (u: Uint8Array) => out.push(u);
  doc.on('update', listener);
  fn(doc);
  doc.off('update', listener);
  return out;
}

function textOf(state: Uint8Array | null): string {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
}

function typeInto(doc: Y.Doc, text: string): Uint8Array[] {
  return updatesOf(doc, (d) => {
    for (const ch of text) d.getText('t').insert(d.getText('t').length, ch);
  });
}

async function appendAll(s: OpenedStorage, name: string, updates: Uint8Array[], userId: string | null) {
  const appended = updates.map((u) => s.documents.append(name, u, userId));
  await Promise.all(appended.map((a) => a.durable));
  return appended.map((a) => a.seq);
}

describe.each(STORAGE_ENGINES)('document storage contract: %s', (engine) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('loads a document never written as empty, at sequence 0', async () => {
    expect(await t.storage.documents.load('c/code/new')).toEqual({
      state: null,
      seq: 0,
      pendingLogEntries: 0,
    });
    expect(await t.storage.documents.currentSeq('c/code/new')).toBe(0);
  });

  it('numbers appended updates 1, 2, 3 per document and reads them back after a restart', async () => {
    const docs = t.storage.documents;
    await docs.load('c/code/a');
    await docs.load('c/code/b');
    const a = new Y.Doc();
    const b = new Y.Doc();
    expect(await appendAll(t.storage, 'c/code/a', typeInto(a, 'abc'), 'ana')).toEqual([1, 2, 3]);
    expect(await appendAll(t.storage, 'c/code/b', typeInto(b, 'xy'), null)).toEqual([1, 2]);
    expect(await docs.currentSeq('c/code/a')).toBe(3);

    const again = await t.restart();
    const loaded = await again.documents.load('c/code/a');
    expect(textOf(loaded.state)).toBe('abc');
    expect(loaded).toMatchObject({ seq: 3, pendingLogEntries: 3 });
    expect(textOf((await again.documents.load('c/code/b')).state)).toBe('xy');
    // Numbering continues after a restart.
    expect(await appendAll(again, 'c/code/a', typeInto(a, 'd'), 'ana')).toEqual([4]);
  });

  it('keeps who changed what: history without bytes, after a sequence number, limited', async () => {
    await t.storage.documents.load('c/code/h');
    const doc = new Y.Doc();
    const updates = typeInto(doc, 'hey');
    await appendAll(t.storage, 'c/code/h', updates.slice(0, 2), 'ana');
    await appendAll(t.storage, 'c/code/h', updates.slice(2), null);
    const history = await t.storage.documents.history('c/code/h');
    expect(history.map((h) => [h.seq, h.userId, h.bytes])).toEqual([
      [1, 'ana', updates[0]!.length],
      [2, 'ana', updates[1]!.length],
      [3, null, updates[2]!.length],
    ]);
    expect(history.every((h) => typeof h.ts === 'number' && h.ts > 0)).toBe(true);
    expect((await t.storage.documents.history('c/code/h', 1, 1)).map((h) => h.seq)).toEqual([2]);
  });

  it('a snapshot compacts the load: state unchanged, only later entries pending', async () => {
    const docs = t.storage.documents;
    await docs.load('c/code/s');
    const doc = new Y.Doc();
    await appendAll(t.storage, 'c/code/s', typeInto(doc, 'hello'), 'ana');
    await docs.saveSnapshot('c/code/s', Y.encodeStateAsUpdate(doc), 5);
    await appendAll(t.storage, 'c/code/s', typeInto(doc, '!'), 'ana');

    const again = await t.restart();
    const loaded = await again.documents.load('c/code/s');
    expect(textOf(loaded.state)).toBe('hello!');
    expect(loaded).toMatchObject({ seq: 6, pendingLogEntries: 1 });
    // Retention 0 keeps the log, so replay still reaches the start.
    expect(await again.documents.oldestLoggedSeq('c/code/s')).toBe(1);
    expect(textOf(await again.documents.stateAt('c/code/s', 2))).toBe('he');
  });

  it('never replaces a snapshot with an older one', async () => {
    const docs = t.storage.documents;
    await docs.load('c/code/o');
    const doc = new Y.Doc();
    await appendAll(t.storage, 'c/code/o', typeInto(doc, 'ab'), null);
    const older = Y.encodeStateAsUpdate(doc);
    await appendAll(t.storage, 'c/code/o', typeInto(doc, 'c'), null);
    await docs.saveSnapshot('c/code/o', Y.encodeStateAsUpdate(doc), 3);
    await docs.saveSnapshot('c/code/o', older, 2);
    const loaded = await (await t.restart()).documents.load('c/code/o');
    expect(textOf(loaded.state)).toBe('abc');
    expect(loaded.pendingLogEntries).toBe(0);
  });

  it('reads the kept log with its authors, oldest first, in pages, as the update checks scan it', async () => {
    const docs = t.storage.documents;
    await docs.load('c/code/l');
    const doc = new Y.Doc();
    const updates = typeInto(doc, 'x'.repeat(600));
    // More entries than one page of the scan, from several authors.
    for (const [i, u] of updates.entries()) docs.append('c/code/l', u, i % 3 === 0 ? null : `u${i % 2}`);
    const read: { userId: string | null; data: Uint8Array }[] = [];
    for await (const entry of t.storage.updateLog.loggedUpdates('c/code/l')) read.push(entry);
    expect(read.map((e) => e.userId)).toEqual(updates.map((_u, i) => (i % 3 === 0 ? null : `u${i % 2}`)));
    expect(read.map((e) => Buffer.from(e.data).toString('hex'))).toEqual(
      updates.map((u) => Buffer.from(u).toString('hex')),
    );
    // A reader may stop early.
    for await (const _entry of t.storage.updateLog.loggedUpdates('c/code/l')) break;
    expect(t.storage.updateLog.storedBytes('c/code/l')).toBeGreaterThan(0);
  });

  it('makes every appended update visible to reads once flushed, many per document at once', async () => {
    const docs = t.storage.documents;
    const names = ['c/code/p1', 'c/code/p2', 'c/board/p3'];
    for (const name of names) await docs.load(name);
    const source = new Y.Doc();
    const updates = typeInto(source, 'x'.repeat(300));
    for (const [i, u] of updates.entries()) docs.append(names[i % 3]!, u, `u${i % 7}`);
    await docs.flush();
    const counts = await Promise.all(names.map(async (n) => (await docs.history(n, 0, 1000)).length));
    expect(counts).toEqual([100, 100, 100]);
  });

  it('replays nothing when the start of the log was compacted away', async () => {
    const withRetention = await openTestStorage(engine, { historyRetentionDays: 1 });
    try {
      const docs = withRetention.storage.documents;
      await docs.load('c/code/r');
      const doc = new Y.Doc();
      await appendAll(withRetention.storage, 'c/code/r', typeInto(doc, 'ab'), null);
      await docs.saveSnapshot('c/code/r', Y.encodeStateAsUpdate(doc), 2);
      // Entries are recent, so retention keeps them: replay works.
      expect(textOf(await docs.stateAt('c/code/r', 1))).toBe('a');
      expect(await docs.stateAt('c/code/none', 1)).toBeNull();
    } finally {
      await withRetention.dispose();
    }
  });

  it('stores named versions with their full state, newest first', async () => {
    const { versions } = t.storage;
    const state = new Uint8Array([1, 2, 3, 250]);
    const v1 = await versions.create('c/code/v', {
      label: 'one',
      authorId: 'ana',
      authorName: 'Ana',
      seq: 4,
      state,
    });
    const v2 = await versions.create('c/code/v', {
      label: 'two',
      authorId: null,
      authorName: null,
      seq: 9,
      state,
    });
    await versions.create('c/code/other', { label: 'x', authorId: null, authorName: null, seq: 1, state });
    expect(v2.id).toBeGreaterThan(v1.id);
    expect((await versions.list('c/code/v')).map((v) => v.label)).toEqual(['two', 'one']);
    expect(await versions.list('c/code/v', 1)).toEqual([v2]);
    const got = await versions.get('c/code/v', v1.id);
    expect(got).toMatchObject({ ...v1 });
    expect(new Uint8Array(got!.state)).toEqual(state);
    expect(await versions.get('c/code/other', v1.id)).toBeUndefined();
  });

  it('saves class locks and reads back the last saved switches', async () => {
    const { locks } = t.storage;
    expect(await locks.get('c1')).toBeNull();
    await locks.save('c1', { codeLocked: true, boardLocked: false });
    await locks.save('c1', { codeLocked: true, boardLocked: true });
    await locks.save('c2', { codeLocked: false, boardLocked: false });
    const again = await t.restart();
    expect(await again.locks.get('c1')).toEqual({ codeLocked: true, boardLocked: true });
    expect(await again.locks.get('c2')).toEqual({ codeLocked: false, boardLocked: false });
  });
});
