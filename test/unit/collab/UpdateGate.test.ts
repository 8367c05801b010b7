// The per-document gate on real SQLite: client ids bound to their first writer and kept across loads (written
// with the update, in its journal record), client ids without a binding attributed from the update log when the
// document loads, the server's own client id, the size budget, and the frames dropped after a refusal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateGateExtension } from '../../../server/src/collab/extensions/updateGate.ts';
import { UpdateBudgets } from '../../../server/src/collab/UpdateBudgets.ts';
import { SERVER_WRITER, SizeBudget, UpdateGate, UpdateGates } from '../../../server/src/collab/UpdateGate.ts';
import { droppedAfterRefusal } from '../../../server/src/collab/updateRefusal.ts';
import { type Db, openDatabase } from '../../../server/src/storage/db.ts';
import { SqliteDocumentStorage } from '../../../server/src/storage/sqlite/SqliteDocumentStorage.ts';
import { decode, type JournalEntry } from '../../../server/src/storage/UpdateJournal.ts';

const log = pino({ level: 'silent' });
const NAME = 'c1/code/main';
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const UNLIMITED = { operationsPerSec: 1e9, operationsBurst: 1e9, bytesPerSec: 1e12, bytesBurst: 1e12 };

/** SQLite document storage on a fresh data directory, and the gate's dependencies on it. */
function storage() {
  const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-gate-')), log);
  open.push(db);
  const store = new SqliteDocumentStorage(db, { historyRetentionDays: 0, foldIntervalMs: 3_600_000 });
  return {
    db,
    store,
    deps: {
      clientIds: store,
      store,
      maxDocumentBytes: 1 << 20,
      maxUpdateOperations: 30_000,
      budgets: new UpdateBudgets(UNLIMITED),
      log,
    },
  };
}

/** What the update journal holds (nothing is folded until a read: the fold interval is an hour). */
function journal(db: Db): JournalEntry[] {
  return decode(fs.readFileSync(`${db.file}.updates`)).entries;
}

function gateExtension(deps: ReturnType<typeof storage>['deps']) {
  const gates = new UpdateGates(deps);
  const extension = new UpdateGateExtension(gates, {
    metrics: { updatesRefused: { inc() {} } } as never,
    log,
    maxMessageBytes: 1 << 20,
  });
  return { gates, extension };
}

/** A loaded document as PersistenceExtension leaves it: the stored state applied. */
async function load(store: SqliteDocumentStorage): Promise<Document> {
  const document = new Document(NAME);
  const { state } = await store.load(NAME);
  if (state) Y.applyUpdate(document, state);
  return document;
}

function typed(clientID: number, text: string, base?: Uint8Array): Uint8Array {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, base);
  doc.clientID = clientID;
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('UpdateGate', () => {
  it('binds a client id to its first writer at once, durably in the journal record of the update', async () => {
    const { db, store, deps } = storage();
    const document = await load(store);
    const gate = await UpdateGate.open(document, deps);
    const first = typed(7, 'ana');
    expect(gate.admit(first, 'ana')).toBeNull();
    expect(gate.ownerOf(7)).toBe('ana');
    Y.applyUpdate(document, first);
    store.append(NAME, first, 'ana');
    // One write() carried the update and its binding.
    expect(journal(db).map((e) => e.bindings)).toEqual([[[7, 'ana']]]);

    const reloaded = await load(store);
    const again = await UpdateGate.open(reloaded, deps);
    expect(again.ownerOf(7)).toBe('ana');
    const more = typed(7, 'x', Y.encodeStateAsUpdate(reloaded));
    expect(again.admit(more, 'bob')).toMatchObject({ code: 'foreign_client' });
    expect(again.admit(more, 'ana')).toBeNull();
  });

  it('attributes client ids without a binding to the author in the update log, once, when the document loads', async () => {
    const { db, store, deps } = storage();
    const old = typed(9, 'legacy');
    store.append(NAME, old, 'ana');
    let scans = 0;
    const counted = {
      ...deps,
      store: {
        storedBytes: (name: string) => store.storedBytes(name),
        loggedUpdates: (name: string) => {
          scans++;
          return store.loggedUpdates(name);
        },
      },
    };
    const gate = await UpdateGate.open(await load(store), counted);
    expect(gate.ownerOf(9)).toBe('ana');
    const next = typed(9, 'more', old);
    expect(gate.admit(next, 'bob')).toMatchObject({ code: 'foreign_client' });
    expect(gate.admit(next, 'ana')).toBeNull();
    await store.flush();
    const rows = db.sql.prepare('SELECT client, user_id AS userId FROM client_ids').all();
    expect(rows).toContainEqual({ client: 9, userId: 'ana' });

    await UpdateGate.open(await load(store), counted);
    expect(scans).toBe(1);
  });

  it('lets the first writer claim an old client id the log no longer knows', async () => {
    const { store, deps } = storage();
    const old = typed(11, 'unknown author');
    store.append(NAME, old, null);
    const gate = await UpdateGate.open(await load(store), deps);
    expect(gate.ownerOf(11)).toBeUndefined();
    expect(gate.admit(typed(11, 'x', old), 'bob')).toBeNull();
    expect(gate.ownerOf(11)).toBe('bob');
  });

  it("refuses content under the server's own client id", async () => {
    const { store, deps } = storage();
    const document = await load(store);
    const gate = await UpdateGate.open(document, deps);
    expect(gate.ownerOf(document.clientID)).toBe(SERVER_WRITER);
    expect(gate.admit(typed(document.clientID, 'x'), 'ana')).toMatchObject({ code: 'foreign_client' });
  });
});

describe('UpdateGateExtension', () => {
  it('drops deletions a document stored as pending (accepted before updates were checked) when it loads', async () => {
    const { store, deps } = storage();
    const poisoned = new Y.Doc();
    poisoned.getText('t').insert(0, 'ok');
    // Deletions of clocks 0-99 of client 5, which nobody has written yet: they would wait for its edits.
    const e = encoding.createEncoder();
    for (const n of [0, 1, 5, 1, 0, 100]) encoding.writeVarUint(e, n);
    Y.applyUpdate(poisoned, encoding.toUint8Array(e));
    expect(poisoned.store.pendingDs).not.toBeNull();
    store.append(NAME, Y.encodeStateAsUpdate(poisoned), 'mallory');

    const document = await load(store);
    expect(document.store.pendingDs).not.toBeNull();
    const { gates, extension } = gateExtension(deps);
    await extension.afterLoadDocument({ document } as never);
    expect(document.store.pendingDs).toBeNull();
    expect(gates.get(document)).toBeDefined();
    const victim = typed(5, 'mine');
    Y.applyUpdate(document, victim);
    expect(document.getText('t').toString()).toContain('mine');
    document.destroy();
    expect(gates.get(document)).toBeUndefined();
  });

  it("binds the server's client id in the journal record of its first server-side edit, which it logs", async () => {
    const { db, store, deps } = storage();
    const document = await load(store);
    // PersistenceExtension's listener, registered when the document loads: before the gate's.
    document.on('update', (update: Uint8Array) => store.append(NAME, update, 'ins'));
    const { extension } = gateExtension(deps);
    await extension.afterLoadDocument({ document } as never);
    const origin = { source: 'local', context: { user: { id: 'ins' } } };
    document.transact(() => document.getText('t').insert(0, 'restored'), origin);
    document.transact(() => document.getText('t').insert(0, 'again '), origin);
    expect(journal(db).map((e) => e.bindings)).toEqual([[[document.clientID, SERVER_WRITER]], undefined]);

    const gate = await UpdateGate.open(await load(store), deps);
    expect(gate.ownerOf(document.clientID)).toBe(SERVER_WRITER);
  });
});

describe('SizeBudget', () => {
  it('measures exactly only past the limit, at most every 10 s, and lets a shrunk document grow again', () => {
    let now = 0;
    let size = 960;
    let measured = 0;
    const sized = {
      measure: () => {
        measured++;
        return size;
      },
    };
    const budget = new SizeBudget(1000, 900, sized, () => now);
    expect(budget.admits(50)).toBe(true);
    expect(measured).toBe(0);
    expect(budget.admits(100)).toBe(false);
    expect(measured).toBe(1);
    size = 200; // people deleted things
    now = 5_000;
    expect(budget.admits(100)).toBe(false);
    expect(measured).toBe(1);
    now = 10_000;
    expect(budget.admits(100)).toBe(true);
    expect(measured).toBe(2);
  });
});

describe('droppedAfterRefusal', () => {
  const frame = (address: string, type: number) => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, address);
    encoding.writeVarUint(e, type);
    return encoding.toUint8Array(e);
  };
  it('drops frames for a refused document until its next authentication', () => {
    const refused = new Set([NAME]);
    expect(droppedAfterRefusal(frame('c1/code/other', 0), refused)).toBe(false);
    expect(droppedAfterRefusal(frame(NAME, 0), refused)).toBe(true);
    expect(droppedAfterRefusal(frame(NAME, 2), refused)).toBe(false);
    expect(droppedAfterRefusal(frame(NAME, 0), refused)).toBe(false);
  });
});
