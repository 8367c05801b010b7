// Exporting a recording of real media to one MP4 (H.264 + AAC): a person's microphone, camera and screen share
// (ffmpeg's test sources) are recorded; the export runs as a background job whose progress is polled, and the
// file has both streams, lasts as long as the recording and is not silent, and manifest.json beside the files
// lists it; an export can be cancelled; deleting the recording stops a running export; only a finished
// recording is exported, by staff.
import fs from 'node:fs';
import nodePath from 'node:path';
import {
  RECORDING_MANIFEST_FILE,
  type RecordingExport,
  type RecordingManifest,
  type RecordingView,
} from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meanVolumeDb, probe } from '../../helpers/ffmpegRtp.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { person } from '../classroom/classroomApi.ts';
import {
  download,
  getRecording,
  joinWithMedia,
  liveSession,
  type RecordingFixture,
  recordFor,
  recordingAction,
  startRecordingServer,
  trackRecorders,
} from './recordingHelpers.ts';

let f: RecordingFixture;
let recordingId: string;
let sessionId: string;

describe('exporting a recording', () => {
  beforeAll(async () => {
    f = await startRecordingServer();
    sessionId = await liveSession(f);
    await joinWithMedia(f, 'ines', ['mic', 'camera', 'screen']);
    const started = await recordingAction(f, sessionId, 'start');
    recordingId = started.id;
    await waitFor(() => trackRecorders(f).filter((t) => t.track.segments.length > 0).length === 3, {
      timeoutMs: 15_000,
    });
    const refused = await f.staff('POST', `/api/recordings/${recordingId}/exports`);
    expect(refused.status).toBe(409);
    await recordFor(5000);
    await recordingAction(f, sessionId, 'stop');
  });
  afterAll(async () => {
    for (const c of f?.cleanup ?? []) c();
    await f?.server.stop();
  });

  // An export takes its time on a busy machine (nice 19): up to the 120 s the wait below allows.
  it('makes one MP4 with H.264 and AAC, as long as the recording, as a background job with progress', {
    timeout: 150_000,
  }, async () => {
    const { api: student } = await person(f.server, 'ana', 'student', 'rec1');
    expect((await student('POST', `/api/recordings/${recordingId}/exports`)).status).toBe(403);
    const created = await f.staff<{ export: RecordingExport }>(
      'POST',
      `/api/recordings/${recordingId}/exports`,
    );
    expect(created.status).toBe(202);
    expect(created.body.export).toMatchObject({ state: 'queued', progress: 0 });
    const path = `/api/recordings/${recordingId}/exports/${created.body.export.id}`;
    const done = await waitFor(
      async () => {
        const r = await f.staff<{ export: RecordingExport & { url: string | null } }>('GET', path);
        expect(['queued', 'running', 'done']).toContain(r.body.export.state);
        return r.body.export.state === 'done' && r.body.export;
      },
      { timeoutMs: 120_000, intervalMs: 200, message: 'the export to finish' },
    );
    expect(done).toMatchObject({ progress: 1, error: null });
    expect(done.speed).toBeGreaterThan(0);
    const view: RecordingView = await getRecording(f, recordingId);
    const file = await download(f, done.url!, 'export.mp4');
    const probed = await probe(file);
    expect(probed.codecs.sort()).toEqual(['aac', 'h264']);
    const recordedSec = (view.stoppedAt! - view.startedAt!) / 1000;
    expect(Math.abs(probed.durationSec - recordedSec)).toBeLessThan(1);
    expect(await meanVolumeDb(file)).toBeGreaterThan(-40);
    // The JSON copy beside the files lists the export as storage does.
    const onDisk = JSON.parse(
      fs.readFileSync(nodePath.join(f.recordingsDir, view.folder!, RECORDING_MANIFEST_FILE), 'utf8'),
    ) as RecordingManifest;
    expect(onDisk.exports).toContainEqual(
      expect.objectContaining({ id: done.id, state: 'done', file: done.file, bytes: done.bytes }),
    );
  });

  it('cancels an export: its state says so and no file is left', async () => {
    const created = await f.staff<{ export: RecordingExport }>(
      'POST',
      `/api/recordings/${recordingId}/exports`,
    );
    const cancelled = await f.staff<{ export: RecordingExport }>(
      'DELETE',
      `/api/recordings/${recordingId}/exports/${created.body.export.id}`,
    );
    expect(cancelled.body.export.state).toBe('cancelled');
    const view = await getRecording(f, recordingId);
    const found = view.exports.find((e) => e.id === created.body.export.id);
    expect(found).toMatchObject({ state: 'cancelled', url: null, file: null });
  });

  // Last: it deletes the recording.
  it('deleting the recording stops its running export first', { timeout: 90_000 }, async () => {
    const view = await getRecording(f, recordingId);
    const folder = nodePath.join(f.recordingsDir, view.folder!);
    const created = await f.staff<{ export: RecordingExport }>(
      'POST',
      `/api/recordings/${recordingId}/exports`,
    );
    const output = nodePath.join(folder, `export-${created.body.export.id}.mp4`);
    await waitFor(() => processesWriting(output).length > 0, {
      timeoutMs: 60_000,
      message: 'the export’s ffmpeg running',
    });
    expect((await f.staff('DELETE', `/api/recordings/${recordingId}`)).status).toBe(200);
    // Its ffmpeg is gone by the time the deletion answers; so are the folder and the row.
    expect(processesWriting(output)).toEqual([]);
    expect(fs.existsSync(folder)).toBe(false);
    expect((await f.staff('GET', `/api/recordings/${recordingId}`)).status).toBe(404);
  });
});

/** Processes whose command line names `file` (the export's ffmpeg). */
function processesWriting(file: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv.includes(file)) pids.push(Number(entry));
  }
  return pids;
}
