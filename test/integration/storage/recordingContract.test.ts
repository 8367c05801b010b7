// The recording storage contract, run against every engine (SQLite and PostgreSQL) with the same cases: a
// manifest stored and read back whole, saved over, listed by session and by state, found for retention by
// when it stopped, removed, and kept across a restart; and a recorded class's keystroke history outliving
// HISTORY_RETENTION_DAYS while its recording is kept.
import type { RecordingManifest } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

const manifest = (
  id: string,
  sessionId = 's1',
  overrides: Partial<RecordingManifest> = {},
): RecordingManifest => ({
  version: 1,
  id,
  sessionId,
  classId: 'c1',
  folder: `c1-20261203T040000Z-${id}`,
  state: 'recording',
  startedAt: 1000,
  stoppedAt: null,
  stopReason: null,
  startedBy: 'ines',
  tracks: [
    {
      id: 't1',
      producerId: 'p1',
      userId: 'ines',
      name: 'Inés',
      role: 'instructor',
      source: 'mic',
      kind: 'audio',
      codec: 'audio/opus',
      startOffsetMs: 5,
      endOffsetMs: null,
      pauses: [{ startOffsetMs: 100, endOffsetMs: 200 }],
      gaps: [{ startOffsetMs: 300, endOffsetMs: null, reason: 'the recorder exited (SIGKILL)' }],
      segments: [
        {
          id: 'g1',
          file: '001-ines-mic-g1.webm',
          container: 'webm',
          startOffsetMs: 5,
          endOffsetMs: 100,
          endReason: 'paused',
          bytes: 1234,
          repaired: false,
        },
      ],
    },
  ],
  ...overrides,
});

describe.each(STORAGE_ENGINES)('recording storage contract: %s', (engine) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('stores a manifest and reads it back whole; saves replace it', async () => {
    const { recordings } = t.storage;
    expect(await recordings.get('r1')).toBeNull();
    await recordings.create(manifest('r1'), 1000);
    expect(await recordings.get('r1')).toEqual(manifest('r1'));
    const stopped = manifest('r1', 's1', {
      state: 'stopped',
      stoppedAt: 9000,
      stopReason: 'stopped by Inés',
    });
    expect(await recordings.save(stopped, 9000)).toBe(true);
    expect(await recordings.get('r1')).toEqual(stopped);
    expect(await recordings.save(manifest('nope'), 9000)).toBe(false);
  });

  it('lists by session (oldest first) and by state', async () => {
    const { recordings } = t.storage;
    await recordings.create(manifest('r1', 's1'), 1000);
    await recordings.create(
      manifest('r2', 's2', { state: 'scheduled', startedAt: null, folder: null }),
      2000,
    );
    await recordings.create(manifest('r3', 's1', { state: 'stopped', stoppedAt: 3000 }), 3000);
    expect((await recordings.listBySession('s1')).map((r) => r.id)).toEqual(['r1', 'r3']);
    expect((await recordings.listBySession('other')).length).toBe(0);
    expect((await recordings.inState('recording')).map((r) => r.id)).toEqual(['r1']);
    expect((await recordings.inState('scheduled')).map((r) => r.id)).toEqual(['r2']);
  });

  it('finds recordings that stopped before a time (retention), removes them, and keeps the rest over a restart', async () => {
    const { recordings } = t.storage;
    await recordings.create(manifest('old', 's1', { state: 'stopped', stoppedAt: 1000 }), 500);
    await recordings.create(manifest('new', 's1', { state: 'failed', stoppedAt: 5000 }), 600);
    await recordings.create(manifest('live', 's2'), 700);
    expect((await recordings.stoppedBefore(2000, 10)).map((r) => r.id)).toEqual(['old']);
    expect((await recordings.stoppedBefore(9000, 1)).map((r) => r.id)).toEqual(['old']);
    expect(await recordings.remove('old')).toBe(true);
    expect(await recordings.remove('old')).toBe(false);
    const reopened = await t.restart();
    expect((await reopened.recordings.listBySession('s1')).map((r) => r.id)).toEqual(['new']);
    expect((await reopened.recordings.get('live'))?.state).toBe('recording');
  });

  it('keeps a recorded class’s keystroke history past HISTORY_RETENTION_DAYS while its recording is kept', async () => {
    const aged = await openTestStorage(engine, { historyRetentionDays: 1 });
    try {
      const { documents, recordings } = aged.storage;
      const DAY = 86_400_000;
      const update = Y.encodeStateAsUpdate(typed('hello'));
      for (const name of ['c1/code/main', 'other/code/main']) {
        await documents.load(name);
        documents.append(name, update, 'ines');
      }
      await documents.flush();
      // The edits were made three days ago; class c1 was recorded from four days ago.
      const storage = aged.storage;
      if (storage.engine === 'sqlite') storage.db.sql.prepare('UPDATE updates SET ts = ts - ?').run(3 * DAY);
      else await storage.pool.query('UPDATE updates SET ts = ts - $1', [3 * DAY]);
      await recordings.create(
        manifest('r1', 's1', { startedAt: Date.now() - 4 * DAY, stoppedAt: Date.now() }),
        1,
      );
      for (const name of ['c1/code/main', 'other/code/main']) {
        const seq = (await documents.history(name, 0, 10)).at(-1)!.seq;
        await documents.saveSnapshot(name, update, seq);
      }
      expect((await documents.history('c1/code/main', 0, 10)).length).toBe(1);
      expect(await documents.history('other/code/main', 0, 10)).toEqual([]);
      // Once the recording is gone, the history goes with the next prune.
      await recordings.remove('r1');
      await documents.saveSnapshot('c1/code/main', update, 1);
      expect(await documents.history('c1/code/main', 0, 10)).toEqual([]);
    } finally {
      await aged.dispose();
    }
  });
});

function typed(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}
