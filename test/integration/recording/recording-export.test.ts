// Exporting a recording of real media to one MP4 (H.264 + AAC): a person's microphone, camera and screen share
// (ffmpeg's test sources) are recorded; the export runs as a background job whose progress is polled, and the
// file has both streams, lasts as long as the recording and is not silent; an export can be cancelled; only a
// finished recording is exported, by staff.
import type { RecordingExport, RecordingView } from '@tandem/shared';
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

  it('makes one MP4 with H.264 and AAC, as long as the recording, as a background job with progress', async () => {
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
});
