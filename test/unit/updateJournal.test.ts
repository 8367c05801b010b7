import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentStore } from '../../server/src/storage/DocumentStore.ts';
import { openDatabase } from '../../server/src/storage/db.ts';
import { decode, encode, type JournalEntry, UpdateJournal } from '../../server/src/storage/UpdateJournal.ts';

const log = pino({ level: 'silent' });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-journal-'));
const entry = (seq: number, userId: string | null = 'ana'): JournalEntry => ({
  doc: 'c1/code/main',
  seq,
  ts: 1_700_000_000_000 + seq,
  userId,
  data: new Uint8Array([seq, 1, 2, 3]),
});

/** Real Yjs updates typed into one document, and the text they make. */
function typed(count: number) {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) doc.getText('t').insert(i, String.fromCharCode(97 + (i % 26)));
  return { updates, text: doc.getText('t').toString() };
}

/** A store on `dir` (fresh by default) that folds only when asked or read, so tests decide what is unfolded. */
function openStore(dir = tmp()) {
  const db = openDatabase(dir, log);
  const store = new DocumentStore(db, { historyRetentionDays: 0, foldIntervalMs: 3_600_000, log });
  const close = () => {
    store.close();
    db.close();
  };
  return { dir, db, store, close };
}

function textOf(store: DocumentStore, name: string): string {
  const doc = new Y.Doc();
  const { state } = store.load(name);
  if (state) Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
}

describe('UpdateJournal', () => {
  it('round-trips entries: unicode names, no user, empty and binary data', () => {
    const entries = [
      entry(1),
      { ...entry(2, null), doc: 'klasse/ws/jürgen-ü', data: new Uint8Array() },
      { ...entry(3, 'ユーザー'), data: new Uint8Array(70_000).fill(255) },
    ];
    const decoded = decode(Buffer.concat(entries.map(encode)));
    expect(decoded).toEqual({ entries, discardedBytes: 0 });
  });

  it('reopening returns what was appended and cuts off a torn last record', () => {
    const file = path.join(tmp(), 'j');
    const { journal } = UpdateJournal.open(file);
    for (let seq = 1; seq <= 3; seq++) journal.append(entry(seq));
    const intact = fs.statSync(file).size;
    journal.close();
    // A write cut short by a crash: half a record at the end.
    fs.appendFileSync(file, encode(entry(4)).subarray(0, 9));

    const again = UpdateJournal.open(file);
    expect(again.contents.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(again.contents.discardedBytes).toBe(9);
    expect(fs.statSync(file).size).toBe(intact);
    // Appends continue right after the last intact record, small ones and ones larger than the write buffer.
    again.journal.append(entry(4));
    const large = { ...entry(5), data: new Uint8Array(200_000).fill(9) };
    again.journal.append(large);
    again.journal.close();
    const reopened = UpdateJournal.open(file).contents.entries;
    expect(reopened.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(reopened[4]).toEqual(large);
  });

  it('round-trips the client-id bindings an entry carries; entries without any stay version 1', () => {
    const plain = entry(1);
    const bound: JournalEntry = {
      ...entry(2),
      bindings: [
        [7, 'ana'],
        [2 ** 32 - 1, null],
        [Number.MAX_SAFE_INTEGER, 'ユーザー'],
      ],
    };
    const records = [plain, bound].map(encode);
    expect(records[0]![8]).toBe(1);
    expect(records[1]![8]).toBe(2);
    expect(decode(Buffer.concat(records))).toEqual({ entries: [plain, bound], discardedBytes: 0 });
    // A record cut inside its bindings is torn like any other.
    expect(decode(records[1]!.subarray(0, 40)).entries).toEqual([]);
  });

  it('stops at a record whose checksum does not match', () => {
    const records = [1, 2, 3].map((seq) => encode(entry(seq)));
    records[1]![records[1]!.length - 1]! ^= 0xff;
    const decoded = decode(Buffer.concat(records));
    expect(decoded.entries.map((e) => e.seq)).toEqual([1]);
    expect(decoded.discardedBytes).toBe(records[1]!.length + records[2]!.length);
  });

  it('clear() empties the file', () => {
    const file = path.join(tmp(), 'j');
    const { journal } = UpdateJournal.open(file);
    journal.append(entry(1));
    journal.clear();
    expect(journal.bytes).toBe(0);
    journal.append(entry(2));
    journal.close();
    expect(UpdateJournal.open(file).contents.entries.map((e) => e.seq)).toEqual([2]);
  });
});

describe('DocumentStore with its journal', () => {
  it('an append is in the journal at once and in SQLite after the fold interval', async () => {
    const db = openDatabase(tmp(), log);
    const store = new DocumentStore(db, { historyRetentionDays: 0, foldIntervalMs: 20, log });
    const { updates } = typed(3);
    for (const u of updates) store.append('c1/code/main', u, 'ana');
    const rows = () => (db.sql.prepare('SELECT COUNT(*) AS n FROM updates').get() as { n: number }).n;
    expect(rows()).toBe(0);
    expect(fs.statSync(`${db.file}.updates`).size).toBeGreaterThan(0);
    await expect.poll(rows, { timeout: 5000 }).toBe(3);
    expect(fs.statSync(`${db.file}.updates`).size).toBe(0);
    store.close();
    db.close();
  });

  it('a failed fold is retried on its own once SQLite works again', async () => {
    const db = openDatabase(tmp(), log);
    const store = new DocumentStore(db, { historyRetentionDays: 0, foldIntervalMs: 20, log });
    for (const u of typed(3).updates) store.append('c1/code/main', u, 'ana');
    db.sql.exec('ALTER TABLE updates RENAME TO updates_away');
    expect(() => store.history('c1/code/main')).toThrow(/no such table/);
    db.sql.exec('ALTER TABLE updates_away RENAME TO updates');
    // No further append or read: the retry timer folds the three updates.
    const rows = () => (db.sql.prepare('SELECT COUNT(*) AS n FROM updates').get() as { n: number }).n;
    await expect.poll(rows, { timeout: 5000 }).toBe(3);
    store.close();
    db.close();
  });

  it('reads see unfolded updates: history, load and current sequence', () => {
    const { store, close } = openStore();
    const { updates, text } = typed(5);
    for (const [i, u] of updates.entries()) store.append('c1/code/main', u, i % 2 ? 'bob' : 'ana');
    expect(store.history('c1/code/main').map((h) => [h.seq, h.userId])).toEqual([
      [1, 'ana'],
      [2, 'bob'],
      [3, 'ana'],
      [4, 'bob'],
      [5, 'ana'],
    ]);
    expect(store.currentSeq('c1/code/main')).toBe(5);
    expect(textOf(store, 'c1/code/main')).toBe(text);
    close();
  });

  it('updates left in the journal by a crash are folded on the next start, with their authors', () => {
    const crashed = openStore();
    const { updates, text } = typed(8);
    for (const u of updates.slice(0, 3)) crashed.store.append('c1/code/main', u, 'ana');
    crashed.store.fold();
    for (const u of updates.slice(3)) crashed.store.append('c1/code/main', u, 'bob');
    // No close(): the process "dies" with five updates only in the journal.

    const restarted = openStore(crashed.dir);
    expect(textOf(restarted.store, 'c1/code/main')).toBe(text);
    expect(restarted.store.history('c1/code/main').map((h) => h.userId)).toEqual([
      'ana',
      'ana',
      'ana',
      'bob',
      'bob',
      'bob',
      'bob',
      'bob',
    ]);
    expect(fs.statSync(`${restarted.db.file}.updates`).size).toBe(0);
    // New appends continue the sequence.
    expect(restarted.store.append('c1/code/main', typed(9).updates[8]!, 'ana').seq).toBe(9);
    restarted.close();
  });

  it('client-id bindings left in the journal by a crash are folded with their updates on the next start', () => {
    const crashed = openStore();
    const { updates } = typed(2);
    crashed.store.load('c1/code/main');
    crashed.store.bind('c1/code/main', [[7, 'ana']]);
    crashed.store.append('c1/code/main', updates[0]!, 'ana');
    crashed.store.bind('c1/code/main', [[8, 'bob']]);
    crashed.store.append('c1/code/main', updates[1]!, 'bob');
    // No close(): the process "dies" with both updates and their bindings only in the journal.

    const restarted = openStore(crashed.dir);
    restarted.store.load('c1/code/main');
    expect([...restarted.store.takeLoadedClientIds('c1/code/main')]).toEqual([
      [7, 'ana'],
      [8, 'bob'],
    ]);
    restarted.close();
  });

  it('a crash after a fold committed but before the journal was emptied adds nothing twice', () => {
    const first = openStore();
    const { updates, text } = typed(4);
    for (const u of updates) first.store.append('c1/code/main', u, 'ana');
    const journalBytes = fs.readFileSync(`${first.db.file}.updates`);
    first.store.fold();
    fs.writeFileSync(`${first.db.file}.updates`, journalBytes);

    const restarted = openStore(first.dir);
    expect(restarted.store.history('c1/code/main').map((h) => h.seq)).toEqual([1, 2, 3, 4]);
    expect(textOf(restarted.store, 'c1/code/main')).toBe(text);
    restarted.close();
  });

  it('a fold that fails loses nothing: the journal keeps the updates for the next start', () => {
    const first = openStore();
    const { updates, text } = typed(3);
    for (const u of updates) first.store.append('c1/code/main', u, 'ana');
    first.db.sql.exec('ALTER TABLE updates RENAME TO updates_away');
    expect(() => first.store.fold()).toThrow(/no such table/);
    expect(fs.statSync(`${first.db.file}.updates`).size).toBeGreaterThan(0);
    first.db.sql.exec('ALTER TABLE updates_away RENAME TO updates');

    const restarted = openStore(first.dir);
    expect(textOf(restarted.store, 'c1/code/main')).toBe(text);
    restarted.close();
  });
});
