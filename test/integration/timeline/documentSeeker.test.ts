// Seeking a document on both engines: the state at any time equals the log replayed up to it; checkpoints are
// written from the live document as updates are logged (CheckpointWriter), lazily by a seek and by catchUp, and
// bound the tail a seek replays; the budget thins them
// without losing correctness.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Document } from '@hocuspocus/server';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type OpenedStorage, openStorage } from '../../../server/src/storage/openStorage.ts';
import { STORAGE_ENGINES, type StorageEngine } from '../../../server/src/storage/Storage.ts';
import type { Appended } from '../../../server/src/storage/types/documents.ts';
import { CheckpointWriter } from '../../../server/src/timeline/CheckpointWriter.ts';
import { DocumentSeeker } from '../../../server/src/timeline/DocumentSeeker.ts';
import { createTestSchema } from '../../helpers/pg.ts';

const DOC = 'class1/code/main';
const STEP_MS = 10;
const START = 1_700_000_000_000;

let cleanup: (() => Promise<void>) | null = null;

async function open(
  engine: StorageEngine,
  now: () => number,
  historyRetentionDays = 0,
): Promise<OpenedStorage> {
  const log = pino({ level: 'silent' });
  if (engine === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-seek-'));
    const storage = await openStorage({ engine, dataDir }, { historyRetentionDays, log, now });
    cleanup = async () => {
      await storage.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    return storage;
  }
  const schema = await createTestSchema();
  const storage = await openStorage(
    { engine, url: schema.url, schema: schema.schema, poolSize: 4 },
    { historyRetentionDays, log, now },
  );
  cleanup = async () => {
    await storage.close();
    await schema.drop();
  };
  return storage;
}

/**
 * Appends `n` one-character edits at START + i * STEP_MS; returns the text after each (index = seq). `onLogged`
 * sees the live document after each append, as the server's CheckpointWriter does.
 */
async function typeInto(
  storage: OpenedStorage,
  clock: { t: number },
  n: number,
  onLogged?: (doc: Document, appended: Appended, update: Uint8Array) => void,
): Promise<string[]> {
  await storage.documents.load(DOC);
  const doc = Object.assign(new Y.Doc(), { name: DOC }) as unknown as Document;
  const text = doc.getText('t');
  const texts = [''];
  doc.on('update', (update: Uint8Array) => {
    const appended = storage.documents.append(DOC, update, 'ana');
    onLogged?.(doc, appended, update);
  });
  for (let i = 1; i <= n; i++) {
    clock.t = START + i * STEP_MS;
    // Some deletions too, so states are not only growing.
    if (i % 7 === 0) text.delete(0, 1);
    else text.insert(text.length, String.fromCharCode(97 + (i % 26)));
    texts.push(text.toString());
  }
  await storage.documents.flush();
  return texts;
}

const textOf = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
};

afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

describe.each(STORAGE_ENGINES)('document seeker: %s', (engine) => {
  it('reads any time right, and checkpoints bound the replayed tail', async () => {
    const clock = { t: START };
    const storage = await open(engine, () => clock.t);
    const texts = await typeInto(storage, clock, 1234);
    const seeker = new DocumentSeeker({
      timeline: storage.timeline,
      documents: storage.documents,
      everyUpdates: 100,
    });

    // Before anything: empty. Between entries: the last one at or before t.
    expect(textOf((await seeker.stateAt(DOC, START)).state)).toBe('');
    const first = await seeker.stateAt(DOC, START + 1000 * STEP_MS + 5);
    expect(first).toMatchObject({ seq: 1000, fromSeq: null, replayed: 1000 });
    expect(textOf(first.state)).toBe(texts[1000]);
    await seeker.idle();
    expect((await storage.timeline.checkpoints(DOC)).map((c) => c.seq)).toEqual([
      100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
    ]);

    await seeker.catchUp(DOC);
    await seeker.idle();
    expect(await storage.timeline.latestCheckpointSeq(DOC)).toBe(1200);
    for (let i = 0; i < 60; i++) {
      const seq = 1 + Math.floor(Math.random() * 1234);
      const found = await seeker.stateAt(DOC, START + seq * STEP_MS);
      expect(found.seq).toBe(seq);
      expect(textOf(found.state)).toBe(texts[seq]);
      expect(found.replayed).toBeLessThan(100);
    }
  });

  it('takes checkpoints from the live document as updates are logged, each the log replayed to its entry', async () => {
    const clock = { t: START };
    const storage = await open(engine, () => clock.t);
    const seeker = new DocumentSeeker({
      timeline: storage.timeline,
      documents: storage.documents,
      everyUpdates: 50,
    });
    const writer = new CheckpointWriter(seeker, 50);
    const texts = await typeInto(storage, clock, 230, (doc, appended, update) =>
      writer.logged(doc, appended, update),
    );
    await seeker.idle();
    const kept = await storage.timeline.checkpoints(DOC);
    expect(kept.map((c) => [c.seq, c.ts])).toEqual(
      [50, 100, 150, 200].map((seq) => [seq, START + seq * STEP_MS]),
    );
    for (const { seq, ts } of kept) {
      const { at } = await storage.timeline.checkpointAt(DOC, ts);
      expect(at?.seq).toBe(seq);
      expect(textOf(at!.state)).toBe(texts[seq]);
    }
    for (const seq of [50, 75, 150, 199, 230]) {
      const found = await seeker.stateAt(DOC, START + seq * STEP_MS);
      expect(found.fromSeq).toBe(Math.floor(seq / 50) * 50);
      expect(textOf(found.state)).toBe(texts[seq]);
    }
  });

  it('drops a live checkpoint whose update the log does not hold after its commit (a fenced commit)', async () => {
    const clock = { t: START };
    const storage = await open(engine, () => clock.t);
    await typeInto(storage, clock, 10);
    const seeker = new DocumentSeeker({
      timeline: storage.timeline,
      documents: storage.documents,
      everyUpdates: 5,
    });
    const [fifth] = await storage.timeline.updates(DOC, 4, 1);
    const checkpoint = { seq: 5, ts: fifth!.ts, state: Y.encodeStateAsUpdate(new Y.Doc()) };
    const other = new Y.Doc();
    other.getText('t').insert(0, 'never logged');
    await seeker.saveLive(DOC, checkpoint, {
      durable: Promise.resolve(),
      update: Y.encodeStateAsUpdate(other),
    });
    expect(await storage.timeline.checkpoints(DOC)).toEqual([]);
    await seeker.saveLive(DOC, checkpoint, { durable: Promise.resolve(), update: fifth!.data });
    expect((await storage.timeline.checkpoints(DOC)).map((c) => c.seq)).toEqual([5]);
  });

  it('deletes checkpoints with the log they cover', async () => {
    const clock = { t: START };
    const storage = await open(engine, () => clock.t, 1);
    const texts = await typeInto(storage, clock, 450);
    const seeker = new DocumentSeeker({
      timeline: storage.timeline,
      documents: storage.documents,
      everyUpdates: 100,
    });
    await seeker.catchUp(DOC);
    await seeker.idle();
    expect((await storage.timeline.checkpoints(DOC)).map((c) => c.seq)).toEqual([100, 200, 300, 400]);
    // Two days on, a snapshot up to 250 prunes the log's entries up to it, and the checkpoints before them.
    clock.t += 2 * 86_400_000;
    const state = (await seeker.stateAt(DOC, START + 250 * STEP_MS)).state;
    await storage.documents.saveSnapshot(DOC, state, 250);
    expect(await storage.documents.oldestLoggedSeq(DOC)).toBe(251);
    expect((await storage.timeline.checkpoints(DOC)).map((c) => c.seq)).toEqual([300, 400]);
    await expect(seeker.stateAt(DOC, START + 260 * STEP_MS)).rejects.toThrow(/no longer kept/);
    expect(textOf((await seeker.stateAt(DOC, START + 420 * STEP_MS)).state)).toBe(texts[420]);
  });

  it('keeps within the budget and stays right', async () => {
    const clock = { t: START };
    const storage = await open(engine, () => clock.t);
    const texts = await typeInto(storage, clock, 1000);
    const seeker = new DocumentSeeker({
      timeline: storage.timeline,
      documents: storage.documents,
      everyUpdates: 50,
      budget: { maxCount: 5, maxBytes: 1 << 30 },
    });
    await seeker.catchUp(DOC);
    await seeker.idle();
    const kept = await storage.timeline.checkpoints(DOC);
    expect(kept.length).toBe(5);
    expect(kept.at(-1)!.seq).toBe(1000);
    for (const seq of [1, 49, 50, 333, 640, 999, 1000]) {
      const found = await seeker.stateAt(DOC, START + seq * STEP_MS);
      expect(textOf(found.state)).toBe(texts[seq]);
    }
  });
});
