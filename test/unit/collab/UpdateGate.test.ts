// The per-document gate on real SQLite: client ids bound to their first writer and kept across loads, client
// ids from before bindings existed attributed from the update log, the server's own client id, the size budget,
// and the frames dropped after a refusal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateGateExtension } from '../../../server/src/collab/extensions/updateGate.ts';
import { SERVER_WRITER, SizeBudget, UpdateGate, UpdateGates } from '../../../server/src/collab/UpdateGate.ts';
import { droppedAfterRefusal } from '../../../server/src/collab/updateRefusal.ts';
import { ClientIdStore } from '../../../server/src/storage/ClientIdStore.ts';
import { DocumentStore } from '../../../server/src/storage/DocumentStore.ts';
import { type Db, openDatabase } from '../../../server/src/storage/db.ts';

const log = pino({ level: 'silent' });
const NAME = 'c1/code/main';
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function storage() {
  const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-gate-')), log);
  open.push(db);
  return { db, store: new DocumentStore(db, { historyRetentionDays: 0 }), clientIds: new ClientIdStore(db) };
}

/** A loaded document as PersistenceExtension leaves it: the stored state applied. */
function load(store: DocumentStore): Document {
  const document = new Document(NAME);
  const { state } = store.load(NAME);
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
  it('binds a client id to its first writer, durably: after a reload only that user may add under it', () => {
    const { store, clientIds } = storage();
    const deps = { clientIds, store, maxDocumentBytes: 1 << 20, log };
    const document = load(store);
    const gate = new UpdateGate(document, deps);
    const first = typed(7, 'ana');
    expect(gate.admit(first, 'ana')).toBeNull();
    Y.applyUpdate(document, first);
    store.append(NAME, first, 'ana');

    const reloaded = load(store);
    const again = new UpdateGate(reloaded, deps);
    expect(again.ownerOf(7)).toBe('ana');
    const more = typed(7, 'x', Y.encodeStateAsUpdate(reloaded));
    expect(again.admit(more, 'bob')).toMatchObject({ code: 'foreign_client' });
    expect(again.admit(more, 'ana')).toBeNull();
  });

  it('attributes client ids written before bindings existed to the author in the update log', () => {
    const { db, store, clientIds } = storage();
    const old = typed(9, 'legacy');
    store.append(NAME, old, 'ana');
    const document = load(store);
    const gate = new UpdateGate(document, { clientIds, store, maxDocumentBytes: 1 << 20, log });
    const next = typed(9, 'more', old);
    expect(gate.admit(next, 'bob')).toMatchObject({ code: 'foreign_client' });
    expect(gate.admit(next, 'ana')).toBeNull();
    const rows = db.sql.prepare('SELECT client, user_id AS userId FROM client_ids').all();
    expect(rows).toContainEqual({ client: 9, userId: 'ana' });
  });

  it('lets the first writer claim an old client id the log no longer knows', () => {
    const { store, clientIds } = storage();
    const old = typed(11, 'unknown author');
    store.append(NAME, old, null);
    const gate = new UpdateGate(load(store), { clientIds, store, maxDocumentBytes: 1 << 20, log });
    expect(gate.admit(typed(11, 'x', old), 'bob')).toBeNull();
    expect(gate.ownerOf(11)).toBe('bob');
  });

  it("refuses content under the server's own client id", () => {
    const { store, clientIds } = storage();
    const document = load(store);
    const gate = new UpdateGate(document, { clientIds, store, maxDocumentBytes: 1 << 20, log });
    expect(gate.ownerOf(document.clientID)).toBe(SERVER_WRITER);
    expect(gate.admit(typed(document.clientID, 'x'), 'ana')).toMatchObject({ code: 'foreign_client' });
  });
});

describe('UpdateGateExtension', () => {
  it('drops deletions a document stored as pending (accepted before updates were checked) when it loads', async () => {
    const { store, clientIds } = storage();
    const poisoned = new Y.Doc();
    poisoned.getText('t').insert(0, 'ok');
    // Deletions of clocks 0-99 of client 5, which nobody has written yet: they would wait for its edits.
    const e = encoding.createEncoder();
    for (const n of [0, 1, 5, 1, 0, 100]) encoding.writeVarUint(e, n);
    Y.applyUpdate(poisoned, encoding.toUint8Array(e));
    expect(poisoned.store.pendingDs).not.toBeNull();
    store.append(NAME, Y.encodeStateAsUpdate(poisoned), 'mallory');

    const document = load(store);
    expect(document.store.pendingDs).not.toBeNull();
    const gates = new UpdateGates({ clientIds, store, maxDocumentBytes: 1 << 20, log });
    const extension = new UpdateGateExtension(gates, {
      metrics: { updatesRefused: { inc() {} } } as never,
      log,
      maxMessageBytes: 1 << 20,
    });
    await extension.afterLoadDocument({ document } as never);
    expect(document.store.pendingDs).toBeNull();
    expect(gates.get(document)).toBeDefined();
    const victim = typed(5, 'mine');
    Y.applyUpdate(document, victim);
    expect(document.getText('t').toString()).toContain('mine');
  });
});

describe('SizeBudget', () => {
  it('measures exactly only past the limit, at most every 10 s, and lets a shrunk document grow again', () => {
    let now = 0;
    let size = 960;
    let measured = 0;
    const budget = new SizeBudget(
      1000,
      900,
      () => {
        measured++;
        return size;
      },
      () => now,
    );
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
