import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docToJson, restoreContent } from '../../server/src/collab/docContent.ts';
import { DocumentStore } from '../../server/src/storage/DocumentStore.ts';
import { openDatabase } from '../../server/src/storage/db.ts';
import { MIGRATIONS, migrate } from '../../server/src/storage/migrations.ts';

const log = pino({ level: 'silent' });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-unit-'));

function updatesOf(fn: (doc: Y.Doc) => void, doc = new Y.Doc()): Uint8Array[] {
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  fn(doc);
  return out;
}

/** A store on a fresh database, its clock, and `count` typed updates of a source document (not yet stored). */
function typedStore(historyRetentionDays: number, count: number) {
  const db = openDatabase(tmp(), log);
  const clock = { now: 1_000 };
  const store = new DocumentStore(db, { historyRetentionDays, now: () => clock.now });
  const source = new Y.Doc();
  const updates = updatesOf((d) => {
    for (let i = 0; i < count; i++) d.getText('t').insert(0, `${i}`);
  }, source);
  return { db, clock, store, source, updates };
}

/** The state the given updates make. */
function stateOf(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return Y.encodeStateAsUpdate(doc);
}

describe('DocumentStore', () => {
  it('loads snapshot + later log entries into exactly the same state', () => {
    const { db, clock, store, source, updates } = typedStore(1, 10);
    for (const u of updates.slice(0, 6)) store.append('c/code/k', u, 'ana');
    const mid = stateOf(updates.slice(0, 6));
    store.saveSnapshot('c/code/k', mid, store.currentSeq('c/code/k'));
    clock.now += 2 * 86_400_000;
    for (const u of updates.slice(6)) store.append('c/code/k', u, null);
    store.fold();

    const fresh = new DocumentStore(db, { historyRetentionDays: 1 });
    const loaded = fresh.load('c/code/k');
    expect(loaded.seq).toBe(10);
    expect(loaded.pendingLogEntries).toBe(4);
    const restored = new Y.Doc();
    Y.applyUpdate(restored, loaded.state!);
    expect(restored.getText('t').toString()).toBe(source.getText('t').toString());
    expect(fresh.history('c/code/k').map((h) => h.userId)).toEqual([
      'ana',
      'ana',
      'ana',
      'ana',
      'ana',
      'ana',
      null,
      null,
      null,
      null,
    ]);

    // A later snapshot prunes covered entries older than the retention period, never newer or uncovered ones.
    store.saveSnapshot('c/code/k', mid, 3);
    expect(store.oldestLoggedSeq('c/code/k')).toBe(4);
    store.saveSnapshot('c/code/k', Y.encodeStateAsUpdate(source), 10);
    expect(store.oldestLoggedSeq('c/code/k')).toBe(7);
    expect(store.load('c/code/k').pendingLogEntries).toBe(0);
    db.close();
  });

  it('a stored document with nothing logged after its snapshot reloads at the snapshot and goes on from there', () => {
    const { db, clock, store, source, updates } = typedStore(0, 5);
    store.load('c/code/s');
    for (const u of updates.slice(0, 3)) store.append('c/code/s', u, 'ana');
    // Nothing is logged after the snapshot: what the log holds is at or below it.
    store.saveSnapshot('c/code/s', stateOf(updates.slice(0, 3)), 3);
    const created = () =>
      (
        db.sql.prepare('SELECT created_at AS at FROM documents WHERE name = ?').get('c/code/s') as {
          at: number;
        }
      ).at;
    expect(created()).toBe(1_000);

    clock.now = 5_000;
    const fresh = new DocumentStore(db, { historyRetentionDays: 0, now: () => clock.now });
    const loaded = fresh.load('c/code/s');
    expect(loaded).toMatchObject({ seq: 3, pendingLogEntries: 0 });
    // The next update is number 4, and the document keeps the time it was first stored.
    for (const u of updates.slice(3)) fresh.append('c/code/s', u, 'ana');
    fresh.fold();
    expect(fresh.history('c/code/s').map((h) => h.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(created()).toBe(1_000);
    const restored = new Y.Doc();
    Y.applyUpdate(restored, fresh.load('c/code/s').state!);
    expect(restored.getText('t').toString()).toBe(source.getText('t').toString());
    db.close();
  });

  it('an unknown document loads as empty', () => {
    const store = new DocumentStore(openDatabase(tmp(), log), { historyRetentionDays: 0 });
    expect(store.load('c/code/nothing')).toEqual({ state: null, seq: 0, pendingLogEntries: 0 });
  });

  it('keeps nothing of a forgotten document, even when its last updates are folded after it was forgotten', () => {
    const db = openDatabase(tmp(), log);
    const store = new DocumentStore(db, { historyRetentionDays: 0 });
    const held = () => ({
      lastSeq: (store as unknown as { lastSeq: Map<string, number> }).lastSeq.size,
      ensured: (store as unknown as { ensured: Set<string> }).ensured.size,
    });
    store.load('c/code/k');
    for (const u of updatesOf((d) => d.getText('t').insert(0, 'late'))) store.append('c/code/k', u, 'ana');
    expect(held()).toEqual({ lastSeq: 1, ensured: 1 });
    // Unloaded before the batch of its last updates is folded into SQLite.
    store.forget('c/code/k');
    store.fold();
    expect(held()).toEqual({ lastSeq: 0, ensured: 0 });
    const again = store.load('c/code/k');
    expect(again.seq).toBe(1);
    db.close();
  });
});

describe('migrations', () => {
  it('a database written by an older version opens in a newer one, data intact', () => {
    const file = path.join(tmp(), 'old.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 1));
    old.prepare("INSERT INTO documents (name, created_at) VALUES ('c/code/k', 1)").run();
    old.close();
    const next = [
      ...MIGRATIONS,
      {
        version: 99,
        description: 'test-only',
        up: (db: Database.Database) => db.exec('ALTER TABLE documents ADD COLUMN note TEXT'),
      },
    ];
    const db = new Database(file);
    expect(migrate(db, next)).toEqual({ from: 1, to: 99 });
    expect(db.prepare('SELECT name, note FROM documents').get()).toEqual({ name: 'c/code/k', note: null });
    db.close();
  });

  it('refuses a database from a newer Tandem', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 1000');
    expect(() => migrate(db)).toThrow(/newer than this Tandem/);
  });
});

describe('docContent', () => {
  it('restores text, maps and arrays as edits on top', () => {
    const live = new Y.Doc();
    live.getText('code').insert(0, 'hello world');
    live.getMap('meta').set('lang', 'py');
    live.getArray('list').push([1, 2]);
    const version = Y.encodeStateAsUpdate(live);
    const before = Y.encodeStateVector(live);

    live.getText('code').insert(5, ' brave new');
    live.getMap('meta').set('lang', 'rb');
    live.getMap('meta').set('extra', true);
    live.getArray('list').push([3]);
    live.getText('other').insert(0, 'added later');

    live.transact(() => restoreContent(live, version));
    expect(live.getText('code').toString()).toBe('hello world');
    expect(live.getMap('meta').toJSON()).toEqual({ lang: 'py' });
    expect(live.getArray('list').toJSON()).toEqual([1, 2]);
    expect(live.getText('other').toString()).toBe('');
    // Nothing was rewritten: the old state is still contained in the new one.
    const sv = Y.decodeStateVector(Y.encodeStateVector(live));
    for (const [client, clock] of Y.decodeStateVector(before))
      expect(sv.get(client)).toBeGreaterThanOrEqual(clock);
    expect(docToJson(version)).toEqual({ code: 'hello world', meta: { lang: 'py' }, list: [1, 2] });
  });
});
