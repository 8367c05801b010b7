// RECORDING_RETENTION_DAYS: recordings that stopped longer ago are deleted (their exports stopped, files and
// manifest); newer ones, running ones and (with 0) all of them are kept. On the real storage of both engines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordingManifest } from '@tandem/shared';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepRecordings } from '../../../server/src/recording/retention.ts';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

const DAY = 86_400_000;
const log = pino({ level: 'silent' });
let t: TestStorage | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const recording = (id: string, stoppedAt: number | null): RecordingManifest => ({
  version: 1,
  id,
  sessionId: 's1',
  classId: 'c1',
  folder: `c1-20261203T000000Z-${id}`,
  state: stoppedAt === null ? 'recording' : 'stopped',
  startedAt: 0,
  stoppedAt,
  stopReason: null,
  startedBy: null,
  tracks: [],
});

describe.each(STORAGE_ENGINES)('recording retention on %s', (engine) => {
  it('deletes recordings stopped longer ago than the retention, with their folders', async () => {
    t = await openTestStorage(engine);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-retention-'));
    const now = Date.now();
    for (const [id, stoppedAt] of [
      ['old', now - 91 * DAY],
      ['recent', now - 10 * DAY],
      ['running', null],
    ] as const) {
      const m = recording(id, stoppedAt);
      await t.storage.recordings.create(m, now);
      fs.mkdirSync(path.join(dir, m.folder!));
      fs.writeFileSync(path.join(dir, m.folder!, 'manifest.json'), '{}');
    }
    // The export jobs' side of a deletion (stopping a running export) is tested in recording-export.test.ts.
    const forgotten: string[] = [];
    const exports = { forget: async (id: string) => void forgotten.push(id) };
    const deps = { store: t.storage.recordings, recordingsDir: dir, exports, log };
    expect(await sweepRecordings({ ...deps, retentionDays: 0 }, now)).toBe(0);
    expect(await sweepRecordings({ ...deps, retentionDays: 90 }, now)).toBe(1);
    expect(await t.storage.recordings.get('old')).toBeNull();
    expect(forgotten).toEqual(['old']);
    expect(fs.existsSync(path.join(dir, recording('old', 0).folder!))).toBe(false);
    expect(await t.storage.recordings.get('recent')).not.toBeNull();
    expect(fs.existsSync(path.join(dir, recording('recent', 0).folder!))).toBe(true);
    expect(await t.storage.recordings.get('running')).not.toBeNull();
  });
});
