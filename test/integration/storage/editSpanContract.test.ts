// The attribution storage contract (storage/types/editSpans.ts) on every engine: spans are written with the
// updates they index, runs of one client's typing fold into one span, and both spans and client-id bindings
// survive the update log being pruned (HISTORY_RETENTION_DAYS, with the log's clock moved forward).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type OpenedStorage,
  openStorage,
  type StorageConfig,
} from '../../../server/src/storage/openStorage.ts';
import { STORAGE_ENGINES, type StorageEngine } from '../../../server/src/storage/Storage.ts';
import { createTestSchema } from '../../helpers/pg.ts';

const DOC = 'c/ws/ana';
const DAY_MS = 86_400_000;

/** A document typing under one client id, each call one update appended at the end. */
function typist(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return (text: string): Uint8Array => {
    let update: Uint8Array | undefined;
    const grab = (u: Uint8Array) => {
      update = u;
    };
    doc.on('update', grab);
    const t = doc.getText('t');
    t.insert(t.length, text);
    doc.off('update', grab);
    return update!;
  };
}

async function open(engine: StorageEngine, now: () => number) {
  let config: StorageConfig;
  let remove: () => Promise<void>;
  if (engine === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-spans-'));
    config = { engine, dataDir };
    remove = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  } else {
    const schema = await createTestSchema();
    config = { engine, url: schema.url, schema: schema.schema, poolSize: 4 };
    remove = schema.drop;
  }
  const storage = await openStorage(config, { historyRetentionDays: 1, log: pino({ level: 'silent' }), now });
  return { storage, remove };
}

describe.each(STORAGE_ENGINES)('edit span storage contract: %s', (engine) => {
  let opened: { storage: OpenedStorage; remove: () => Promise<void> } | undefined;
  afterEach(async () => {
    try {
      await opened?.storage.close();
    } finally {
      await opened?.remove();
      opened = undefined;
    }
  });

  it('indexes each client clock range with its time; spans and bindings outlive pruning', async () => {
    let clock = 1_000_000_000_000;
    opened = await open(engine, () => clock);
    const { documents, clientIds, editSpans } = opened.storage;
    await documents.load(DOC);
    clientIds.loadedClientIds(DOC);
    const sent: Uint8Array[] = [];
    const keep = (type: (text: string) => Uint8Array) => (text: string) => {
      const update = type(text);
      sent.push(update);
      return update;
    };
    const ana = keep(typist(11));
    const bob = keep(typist(22));
    clientIds.bind(DOC, [[11, 'ana']]);
    await documents.append(DOC, ana('hel'), 'ana').durable;
    clock += 1000;
    await documents.append(DOC, ana('lo'), 'ana').durable;
    clientIds.bind(DOC, [[22, 'bob']]);
    clock += 1000;
    await documents.append(DOC, bob('x'.repeat(300)), 'bob').durable;
    // Past SPAN_MAX_MS: a new span for ana.
    clock += 120_000;
    await documents.append(DOC, ana('!'), 'ana').durable;

    const spans = await editSpans.spans(DOC, 100);
    expect(spans.map((s) => [s.client, s.clockFrom, s.clockTo, s.edits, s.userId])).toEqual([
      [11, 0, 5, 2, 'ana'],
      [22, 0, 300, 1, 'bob'],
      [11, 5, 6, 1, 'ana'],
    ]);
    expect(spans[0]).toMatchObject({ firstTs: 1_000_000_000_000, lastTs: 1_000_000_001_000, maxInsert: 3 });
    expect(spans[1]!.maxInsert).toBe(300);
    // Over the limit, the newest spans are kept (still oldest first): the lines written last keep their author.
    expect((await editSpans.spans(DOC, 2)).map((s) => [s.client, s.clockFrom])).toEqual([
      [22, 0],
      [11, 5],
    ]);

    // Two days later a snapshot covers everything and the log older than a day is pruned.
    clock += 2 * DAY_MS;
    const state = Y.mergeUpdates(sent);
    await documents.saveSnapshot(DOC, state, await documents.currentSeq(DOC));
    expect(await documents.history(DOC)).toEqual([]);
    expect(await documents.oldestLoggedSeq(DOC)).toBeNull();

    expect(await editSpans.spans(DOC, 100)).toEqual(spans);
    expect([...(await editSpans.owners(DOC))].sort()).toEqual([
      [11, 'ana'],
      [22, 'bob'],
    ]);
    expect(await editSpans.lastEditAt(DOC)).toBe(1_000_000_122_000);
    expect(await editSpans.lastEditAt('c/ws/nobody')).toBeNull();
    expect(await editSpans.documentNames('c/ws/', 10)).toEqual([DOC]);
    expect(await editSpans.documentNames('c/code/', 10)).toEqual([]);
  });

  it("answers each workspace owner's last edit of a class in one query, never others' writing", async () => {
    const T = 2_000_000_000_000;
    let clock = T;
    opened = await open(engine, () => clock);
    const { documents, editSpans } = opened.storage;
    const write = async (doc: string, clientID: number, userId: string, at: number) => {
      clock = at;
      await documents.load(doc);
      await documents.append(doc, typist(clientID)('x'), userId).durable;
    };
    await write('c/ws/ana', 1, 'ana', T);
    await write('c/ws/ana', 2, 'ana', T + 5000);
    await write('c/ws/ana', 3, 'ines', T + 9000); // staff editing alongside: not Ana's edit
    await write('c/ws/bo', 4, 'ines', T + 1000); // only the hand-out's author wrote here
    await write('c/ws/anabel', 5, 'anabel', T + 100);
    await write('c2/ws/ana', 6, 'ana', T + 200); // another class
    await write('c/code/main', 7, 'ana', T + 300);
    expect([...(await editSpans.ownerLastEdits('c/ws/'))].sort()).toEqual([
      ['ana', T + 5000],
      ['anabel', T + 100],
    ]);
    expect(await editSpans.ownerLastEdits('none/ws/')).toEqual(new Map());
  });
});
