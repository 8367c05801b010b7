// Faults while recording real media: a recorder process killed mid-class is restarted as a new segment, the gap
// is in the manifest and the file it left is repaired (remuxed: it has a duration again); a file where the
// recordings folder should be refuses the start, and the recording's own folder replaced by a file stops the
// recording with staff told why, as does a disk with less free space than RECORDING_MIN_FREE_MB; stopping the server while recording finalizes every file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ClassState, RECORDING_MANIFEST_FILE, type RecordingManifest } from '@tandem/shared';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../../server/src/storage/openStorage.ts';
import { connectCollab } from '../../helpers/collabClient.ts';
import { FFMPEG, probe } from '../../helpers/ffmpegRtp.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { collectNotices, person } from '../classroom/classroomApi.ts';
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

let f: RecordingFixture | undefined;
afterEach(async () => {
  for (const c of f?.cleanup ?? []) c();
  await f?.server.stop();
  f = undefined;
});

/** A live session whose instructor has the class page open (its notices collected) and a microphone on. */
async function liveWithStaffPage(fx: RecordingFixture) {
  const sessionId = await liveSession(fx);
  const staffPage = connectCollab(
    fx.server,
    'rec1/code/main',
    await fx.server.token({ sub: 'ines', role: 'instructor', cls: 'rec1' }),
  );
  fx.cleanup.push(() => staffPage.destroy());
  await staffPage.synced();
  const notices = collectNotices(staffPage);
  await joinWithMedia(fx, 'ines', ['mic']);
  return { sessionId, notices };
}

describe('recording faults', () => {
  it('restarts a killed recorder as a new segment, lists the gap and repairs the file it left', async () => {
    f = await startRecordingServer();
    const fx = f;
    const sessionId = await liveSession(fx);
    await joinWithMedia(fx, 'ines', ['camera']);
    const started = await recordingAction(fx, sessionId, 'start');
    await waitFor(() => trackRecorders(fx)[0]?.track.segments.length === 1, { timeoutMs: 10_000 });
    const [camera] = trackRecorders(fx);
    const firstFile = path.join(fx.recordingsDir, started.folder!, camera!.track.segments[0]!.file);
    // Killed once it has written some of the stream (ffmpeg writes nothing while it probes the input).
    await waitFor(() => fs.existsSync(firstFile) && fs.statSync(firstFile).size > 20_000, {
      timeoutMs: 10_000,
    });
    const killed = camera!.process!;
    killed.kill('SIGKILL');
    await waitFor(() => camera!.track.segments.length === 2 && camera!.process !== killed, {
      timeoutMs: 15_000,
      message: 'a second segment after the kill',
    });
    await recordFor(3000);
    await recordingAction(fx, sessionId, 'stop');

    const view = await getRecording(fx, started.id);
    const [track] = view.tracks;
    const [first, second] = track!.segments;
    expect(first).toMatchObject({ endReason: 'recorder-died', repaired: true });
    expect(second).toMatchObject({ endReason: 'stopped', repaired: false });
    expect(track!.gaps).toHaveLength(1);
    const [gap] = track!.gaps;
    expect(gap!.reason).toMatch(/recorder exited/);
    expect(gap!.startOffsetMs).toBeGreaterThanOrEqual(first!.endOffsetMs! - 50);
    expect(gap!.endOffsetMs).toBe(second!.startOffsetMs);
    // The repaired file has a duration in its header again (a killed recorder's file has none).
    const repaired = await probe(await download(fx, first!.url!, first!.file));
    expect(repaired.codecs).toEqual(['vp8']);
    expect(repaired.durationSec).toBeGreaterThan(0.5);
    const after = await probe(await download(fx, second!.url!, second!.file));
    expect(after.durationSec).toBeGreaterThan(2);
  });

  it('refuses to start when a file stands where the recordings folder should be, and says why', async () => {
    const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-rec-')), 'recordings');
    fs.writeFileSync(blocker, 'not a folder');
    f = await startRecordingServer('sqlite', { RECORDINGS_DIR: blocker });
    const sessionId = await liveSession(f);
    const r = await f.staff<{ error: { code: string; message: string } }>(
      'POST',
      `/api/sessions/${sessionId}/recording`,
      { action: 'start' },
    );
    expect(r.status).toBe(503);
    expect(r.body.error.message).toMatch(/cannot write recordings in .*recordings/);
    const state = await f.staff<ClassState>('GET', '/api/classes/rec1/state');
    expect(state.body.recording).toBeNull();
  });

  it('stops the recording and tells staff why when its folder can no longer be written', async () => {
    f = await startRecordingServer();
    const fx = f;
    const { sessionId, notices } = await liveWithStaffPage(fx);
    const started = await recordingAction(fx, sessionId, 'start');
    await waitFor(() => notices.some((n) => n.type === 'recording' && n.recording !== null));
    expect((await fx.staff<ClassState>('GET', '/api/classes/rec1/state')).body.recording).toMatchObject({
      recordingId: started.id,
      state: 'recording',
    });
    const folder = path.join(fx.recordingsDir, started.folder!);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.writeFileSync(folder, 'a file where the folder was');

    const stopped = await waitFor(
      () => notices.find((n) => n.type === 'recording' && n.recording === null && n.problem),
      { timeoutMs: 10_000, message: 'a notice saying why recording stopped' },
    );
    expect(stopped.type === 'recording' && stopped.problem).toMatch(/cannot be written/);
    const list = await fx.staff<{ recordings: RecordingManifest[] }>(
      'GET',
      `/api/sessions/${sessionId}/recordings`,
    );
    expect(list.body.recordings[0]).toMatchObject({
      state: 'failed',
      stopReason: expect.stringMatching(/folder/),
    });
    expect((await fx.staff<ClassState>('GET', '/api/classes/rec1/state')).body.recording).toBeNull();
  });

  it('stops the recording as failed and tells staff the disk is full below RECORDING_MIN_FREE_MB', async () => {
    // No disk has this much free: the first free-space check (every 2 s) finds the disk full.
    f = await startRecordingServer('sqlite', { RECORDING_MIN_FREE_MB: String(2 ** 31) });
    const fx = f;
    const { sessionId, notices } = await liveWithStaffPage(fx);
    const started = await recordingAction(fx, sessionId, 'start');
    expect(started.state).toBe('recording');
    const stopped = await waitFor(
      () => notices.find((n) => n.type === 'recording' && n.recording === null && n.problem),
      { timeoutMs: 15_000, message: 'a notice saying the disk is full' },
    );
    expect(stopped.type === 'recording' && stopped.problem).toMatch(
      /^Recording stopped: the disk is full \(\d+ MB free in /,
    );
    const view = await getRecording(fx, started.id);
    expect(view).toMatchObject({ state: 'failed', stopReason: expect.stringMatching(/^the disk is full/) });
    expect(view.stoppedAt).toBeGreaterThanOrEqual(view.startedAt!);
    expect((await fx.staff<ClassState>('GET', '/api/classes/rec1/state')).body.recording).toBeNull();
  });

  it('finalizes every file when the server stops while recording', async () => {
    f = await startRecordingServer();
    const fx = f;
    const sessionId = await liveSession(fx);
    await joinWithMedia(fx, 'ines', ['mic', 'camera']);
    const started = await recordingAction(fx, sessionId, 'start');
    await waitFor(
      () => trackRecorders(fx).every((t) => t.track.segments.length === 1) && trackRecorders(fx).length === 2,
      {
        timeoutMs: 10_000,
      },
    );
    await recordFor(4000);
    for (const c of fx.cleanup.splice(0)) c();
    fx.server = await fx.server.restart();
    fx.staff = (await person(fx.server, 'ines', 'instructor', 'rec1')).api;

    const view = await getRecording(fx, started.id);
    expect(view).toMatchObject({ state: 'stopped', stopReason: 'the server shut down' });
    for (const track of view.tracks) {
      const [segment] = track.segments;
      expect(segment).toMatchObject({ endReason: 'stopped', repaired: false });
      const probed = await probe(await download(fx, segment!.url!, segment!.file));
      const expectedSec = (segment!.endOffsetMs! - segment!.startOffsetMs) / 1000;
      expect(Math.abs(probed.durationSec - expectedSec)).toBeLessThan(1);
    }
  });

  it('after a crash, stops recorders left running, marks the recording failed and repairs its files', async () => {
    f = await startRecordingServer();
    const fx = f;
    const sessionId = await liveSession(fx);
    await joinWithMedia(fx, 'ines', ['mic']);
    const started = await recordingAction(fx, sessionId, 'start');
    await waitFor(() => trackRecorders(fx)[0]?.track.segments.length === 1, { timeoutMs: 10_000 });
    await recordFor(3000);
    for (const c of fx.cleanup.splice(0)) c();
    // The server died while recording: what it had stored says `recording`, with a segment that never ended,
    // and one of its recorders still runs, writing into the recording's folder.
    const orphan = spawn(FFMPEG, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-re',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440',
      '-c:a',
      'libopus',
      '-f',
      'webm',
      '-y',
      path.join(fx.recordingsDir, started.folder!, 'orphan.webm'),
    ]);
    fx.cleanup.push(() => orphan.kill('SIGKILL'));
    const orphanExit = new Promise((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
    fx.server = await fx.server.restart({
      whileStopped: async () => {
        const store = await openStoreOf(fx);
        const manifest = (await store.storage.recordings.get(started.id))!;
        const segment = manifest.tracks[0]!.segments[0]!;
        Object.assign(segment, { endOffsetMs: null, endReason: null, bytes: null });
        Object.assign(manifest, { state: 'recording', stoppedAt: null, stopReason: null });
        await store.storage.recordings.save(manifest, Date.now());
        await store.storage.close();
      },
    });
    fx.staff = (await person(fx.server, 'ines', 'instructor', 'rec1')).api;
    expect(await orphanExit).toBe('SIGKILL');
    const view = await getRecording(fx, started.id);
    expect(view).toMatchObject({ state: 'failed', stopReason: 'the server stopped while recording' });
    const segment = view.tracks[0]!.segments[0]!;
    expect(segment).toMatchObject({ endReason: 'recorder-died', repaired: true });
    // manifest.json beside the files says what storage says.
    const manifestFile = path.join(fx.recordingsDir, started.folder!, RECORDING_MANIFEST_FILE);
    const onDisk = await waitFor(() => {
      const read = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as RecordingManifest;
      return read.state === 'failed' && read;
    });
    expect(onDisk).toMatchObject({
      state: 'failed',
      stopReason: view.stopReason,
      stoppedAt: view.stoppedAt,
    });
    expect(onDisk.tracks[0]!.segments[0]).toMatchObject({
      endReason: 'recorder-died',
      repaired: true,
      endOffsetMs: segment.endOffsetMs,
    });
    const probed = await probe(await download(fx, segment.url!, segment.file));
    expect(Math.abs(probed.durationSec - (segment.endOffsetMs! - segment.startOffsetMs) / 1000)).toBeLessThan(
      0.1,
    );
  });
});

/** The stopped server's storage, opened on its data directory (SQLite). */
async function openStoreOf(fx: RecordingFixture) {
  const storage = await openStorage(
    { engine: 'sqlite', dataDir: fx.server.dataDir },
    { historyRetentionDays: 30, log: pino({ level: 'silent' }) },
  );
  return { storage };
}
