// The storage contract for client-id bindings (storage/types/clientIds.ts), run against every engine (SQLite
// and PostgreSQL) with the same cases: read with the document, written with its updates, owners never replaced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

const DOC = 'c/code/main';

/** One update typing `text` under `clientID`. */
function typed(clientID: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  let update: Uint8Array | undefined;
  doc.on('update', (u: Uint8Array) => {
    update = u;
  });
  doc.getText('t').insert(0, text);
  return update!;
}

const sorted = (bindings: Map<number, string | null>) => [...bindings].sort((a, b) => a[0] - b[0]);

describe.each(STORAGE_ENGINES)('client-id storage contract: %s', (engine) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('loads a document never bound with no bindings, handed over once', async () => {
    await t.storage.documents.load(DOC);
    expect(t.storage.clientIds.loadedClientIds(DOC)).toEqual(new Map());
    expect(() => t.storage.clientIds.loadedClientIds(DOC)).toThrow(/before load|taken/);
    expect(() => t.storage.clientIds.loadedClientIds('c/code/never-loaded')).toThrow(/before load|taken/);
  });

  it('writes bindings with the update appended after them; they load with the document after a restart', async () => {
    const { documents, clientIds } = t.storage;
    await documents.load(DOC);
    clientIds.loadedClientIds(DOC);
    clientIds.bind(DOC, [[7, 'ana']]);
    await documents.append(DOC, typed(7, 'a'), 'ana').durable;
    clientIds.bind(DOC, [[8, 'bob']]);
    await documents.append(DOC, typed(8, 'b'), 'bob').durable;

    const again = await t.restart();
    await again.documents.load(DOC);
    expect(sorted(again.clientIds.loadedClientIds(DOC))).toEqual([
      [7, 'ana'],
      [8, 'bob'],
    ]);
    // Per document.
    await again.documents.load('c/code/other');
    expect(again.clientIds.loadedClientIds('c/code/other')).toEqual(new Map());
  });

  it('writes bindings no update follows by the next flush', async () => {
    const { documents, clientIds } = t.storage;
    await documents.load(DOC);
    clientIds.bind(DOC, [
      [3, null],
      [4, 'ana'],
    ]);
    await documents.flush();
    // A reload reads what is stored: the bindings are there without any update.
    documents.forget(DOC);
    await documents.load(DOC);
    expect(sorted(clientIds.loadedClientIds(DOC))).toEqual([
      [3, null],
      [4, 'ana'],
    ]);
  });

  it('never replaces a stored owner; a stored null is claimed, also within one write', async () => {
    const { documents, clientIds } = t.storage;
    await documents.load(DOC);
    clientIds.bind(DOC, [
      [1, 'ana'],
      [2, null],
    ]);
    // Bound to nobody, then claimed before anything was written: one batch holds both.
    clientIds.bind(DOC, [[5, null]]);
    clientIds.bind(DOC, [[5, 'cid']]);
    await documents.append(DOC, typed(5, 'c'), 'cid').durable;

    const again = await t.restart();
    await again.documents.load(DOC);
    again.clientIds.loadedClientIds(DOC);
    again.clientIds.bind(DOC, [
      [1, 'mallory'],
      [2, 'bob'],
    ]);
    await again.documents.flush();

    const third = await t.restart();
    await third.documents.load(DOC);
    expect(sorted(third.clientIds.loadedClientIds(DOC))).toEqual([
      [1, 'ana'],
      [2, 'bob'],
      [5, 'cid'],
    ]);
  });

  it('keeps client ids of any size Yjs hands out (up to 2^53 - 1)', async () => {
    const { documents, clientIds } = t.storage;
    await documents.load(DOC);
    const big = Number.MAX_SAFE_INTEGER;
    clientIds.bind(DOC, [
      [big, 'ana'],
      [2 ** 32 - 1, 'bob'],
    ]);
    const again = await t.restart();
    await again.documents.load(DOC);
    expect(sorted(again.clientIds.loadedClientIds(DOC))).toEqual([
      [2 ** 32 - 1, 'bob'],
      [big, 'ana'],
    ]);
  });
});
