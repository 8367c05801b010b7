// The recording REST API's rules, without media: who may start, stop, list, read and delete recordings; bodies
// validated; a session armed to record from its start records when it starts; a running recording cannot be
// deleted; download links refused when forged, changed or expired; bursts of start/stop and of downloads
// rate-limited; a 6th export refused; students kept from exports unless they may watch. On both engines.
import fs from 'node:fs';
import path from 'node:path';
import type { RecordingExport, RecordingManifest, RecordingView } from '@tandem/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, person } from '../classroom/classroomApi.ts';

let server: EngineTestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function setup(engine: (typeof STORAGE_ENGINES)[number], env: Record<string, string> = {}) {
  const recordingsDir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'tandem-rec-api-'));
  server = await startTestServerOn(engine, {
    RECORDINGS_DIR: recordingsDir,
    API_KEYS: 'platform-key-0123456789',
    ...env,
  });
  const ines = await person(server, 'ines', 'instructor', 'rec1');
  const ana = await person(server, 'ana', 'student', 'rec1');
  const other = await person(server, 'olga', 'instructor', 'other');
  const scheduled = await ines.api<{ session: { id: string } }>('POST', '/api/classes/rec1/sessions', {});
  return {
    recordingsDir,
    ines: ines.api,
    ana: ana.api,
    other: other.api,
    sessionId: scheduled.body.session.id,
  };
}

const act = (api: Caller, sessionId: string, body: unknown) =>
  api<{ recording: RecordingManifest; error: { code: string; message: string } }>(
    'POST',
    `/api/sessions/${sessionId}/recording`,
    body,
  );

describe.each(STORAGE_ENGINES)('recording API on %s', (engine) => {
  it('refuses students, other classes, missing credentials and bad bodies', async () => {
    const { ines, ana, other, sessionId } = await setup(engine);
    expect((await act(ana, sessionId, { action: 'start' })).status).toBe(403);
    expect((await act(other, sessionId, { action: 'start' })).status).toBe(403);
    const anonymous = await fetch(`${server!.httpUrl}/api/sessions/${sessionId}/recording`, {
      method: 'POST',
      body: '{"action":"start"}',
    });
    expect(anonymous.status).toBe(401);
    expect((await act(ines, sessionId, { action: 'pause' })).status).toBe(400);
    expect((await act(ines, sessionId, { action: 'start', extra: 1 })).status).toBe(400);
    expect((await act(ines, sessionId, 'not json')).status).toBe(400);
    expect((await act(ines, sessionId, { action: 'x'.repeat(40_000) })).status).toBe(413);
    expect((await act(ines, 'no-such-session', { action: 'start' })).status).toBe(404);
    expect((await ines('GET', '/api/recordings/no-such-recording')).status).toBe(404);
    expect((await ines('GET', '/api/recordings/bad%20id')).status).toBe(400);
  });

  it('arms a scheduled session to record from its start, and records when it starts', async () => {
    const { ines, ana, sessionId } = await setup(engine);
    const armed = await act(ines, sessionId, { action: 'start' });
    expect(armed.status).toBe(200);
    expect(armed.body.recording).toMatchObject({ state: 'scheduled', sessionId, startedAt: null });
    // Asking again answers the same armed recording.
    expect((await act(ines, sessionId, { action: 'start' })).body.recording.id).toBe(armed.body.recording.id);
    await ines('POST', `/api/sessions/${sessionId}/start`);
    // Recording begins right after the session's start (the session-started event).
    // Polled as a page would, not every 10 ms: class routes allow a burst of 60 requests, then 10 a second.
    // The first recording of a server checks that ffmpeg runs (a process spawn): seconds on a loaded machine.
    const indicator = await waitFor(
      async () => {
        const state = await ana<{ recording: { recordingId: string; state: string } | null }>(
          'GET',
          '/api/classes/rec1/state',
        );
        return state.body.recording;
      },
      { intervalMs: 200, timeoutMs: 20_000 },
    );
    expect(indicator).toMatchObject({ recordingId: armed.body.recording.id, state: 'recording' });
    const list = await ines<{ recordings: RecordingManifest[] }>(
      'GET',
      `/api/sessions/${sessionId}/recordings`,
    );
    expect(list.body.recordings.map((r) => r.state)).toEqual(['recording']);
    // Ending the session stops its recording (right after the session-ended event).
    await ines('POST', `/api/sessions/${sessionId}/end`);
    const after = await waitFor(
      async () => {
        const r = await ines<{ recording: RecordingView }>(
          'GET',
          `/api/recordings/${armed.body.recording.id}`,
        );
        return r.body.recording.state === 'stopped' && r.body.recording;
      },
      { intervalMs: 200, timeoutMs: 20_000 },
    );
    expect(after.stopReason).toBe('the session ended');
    const state = await ana('GET', '/api/classes/rec1/state');
    expect(state.status).toBe(200);
    expect(state.body.recording).toBeNull();
  });

  it('lets only staff watch unless the class allows students; refuses deleting a running recording', async () => {
    const { recordingsDir, ines, ana, sessionId } = await setup(engine);
    await ines('POST', `/api/sessions/${sessionId}/start`);
    const started = await act(ines, sessionId, { action: 'start' });
    const id = started.body.recording.id;
    expect(started.body.recording.state).toBe('recording');
    expect(fs.existsSync(path.join(recordingsDir, started.body.recording.folder!, 'manifest.json'))).toBe(
      true,
    );
    expect((await ana('GET', `/api/sessions/${sessionId}/recordings`)).status).toBe(403);
    expect((await ana('GET', `/api/recordings/${id}`)).status).toBe(403);
    expect((await ines('DELETE', `/api/recordings/${id}`)).status).toBe(409);
    expect((await ana('DELETE', `/api/recordings/${id}`)).status).toBe(403);
    const stopped = await act(ines, sessionId, { action: 'stop' });
    expect(stopped.body.recording).toMatchObject({ state: 'stopped', stopReason: 'stopped by Ines' });
    const platform = await fetch(`${server!.httpUrl}/api/recordings/${id}`, {
      headers: { authorization: 'Bearer platform-key-0123456789' },
    });
    expect(platform.status).toBe(200);
    expect((await ines('DELETE', `/api/recordings/${id}`)).status).toBe(200);
    expect(fs.existsSync(path.join(recordingsDir, started.body.recording.folder!))).toBe(false);
    expect((await ines('GET', `/api/recordings/${id}`)).status).toBe(404);
  });

  it('lets students watch when RECORDINGS_STUDENTS_MAY_WATCH is on, still not start or delete', async () => {
    const { ines, ana, sessionId } = await setup(engine, { RECORDINGS_STUDENTS_MAY_WATCH: 'true' });
    await ines('POST', `/api/sessions/${sessionId}/start`);
    const id = (await act(ines, sessionId, { action: 'start' })).body.recording.id;
    expect((await ana('GET', `/api/sessions/${sessionId}/recordings`)).status).toBe(200);
    expect((await ana('GET', `/api/recordings/${id}`)).status).toBe(200);
    expect((await act(ana, sessionId, { action: 'stop' })).status).toBe(403);
  });

  it('refuses to start, and says why, when ffmpeg does not run', async () => {
    const { ines, sessionId } = await setup(engine, { FFMPEG_PATH: '/nonexistent/ffmpeg' });
    await ines('POST', `/api/sessions/${sessionId}/start`);
    const refused = await act(ines, sessionId, { action: 'start' });
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toMatch(/ffmpeg does not run .*FFMPEG_PATH/);
  });

  it('records a session created with "record": true from its start', async () => {
    const { ines } = await setup(engine);
    const created = await ines<{ session: { id: string } }>('POST', '/api/classes/rec1/sessions', {
      startNow: true,
      record: true,
    });
    expect(created.status).toBe(201);
    const recording = await waitFor(async () => {
      const r = await ines<{ recordings: RecordingManifest[] }>(
        'GET',
        `/api/sessions/${created.body.session.id}/recordings`,
      );
      return r.body.recordings.find((m) => m.state === 'recording');
    });
    expect(recording).toMatchObject({ startedBy: 'ines', sessionId: created.body.session.id });
    expect((await ines('POST', '/api/classes/rec1/sessions', { record: 'yes' })).status).toBe(400);
  });

  it('refuses forged, changed and expired download links', async () => {
    await setup(engine);
    const base = `${server!.httpUrl}/api/recordings/rec_x/files/seg1`;
    expect((await fetch(base)).status).toBe(403);
    const future = Math.floor(Date.now() / 1000) + 300;
    expect((await fetch(`${base}?expires=${future}&signature=AAAA`)).status).toBe(403);
    const past = Math.floor(Date.now() / 1000) - 10;
    expect((await fetch(`${base}?expires=${past}&signature=${'A'.repeat(43)}`)).status).toBe(403);
  });

  it('rate-limits a burst of start/stop requests and a burst of downloads (429)', async () => {
    const { ines, sessionId } = await setup(engine);
    // 60 at once per person, then 10 a second (routeKit): a script hammering the route is refused.
    const burst = await Promise.all(
      Array.from({ length: 90 }, () => act(ines, sessionId, { action: 'stop' })),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 404 || s === 429)).toBe(true);
    expect(burst.find((r) => r.status === 429)!.body.error.code).toBe('rate_limited');
    // Downloads: 200 at once per client address, then 20 a second, checked before the link's signature.
    const link = `${server!.httpUrl}/api/recordings/rec_x/files/seg1?expires=1&signature=AAAA`;
    const downloads = await Promise.all(Array.from({ length: 260 }, () => fetch(link).then((r) => r.status)));
    expect(downloads.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(downloads.every((s) => s === 403 || s === 429)).toBe(true);
  });

  it('refuses a 6th export, and keeps students from reading or cancelling exports unless they may watch', async () => {
    const { ines, ana, sessionId } = await setup(engine);
    await ines('POST', `/api/sessions/${sessionId}/start`);
    const id = (await act(ines, sessionId, { action: 'start' })).body.recording.id;
    await act(ines, sessionId, { action: 'stop' });
    // Five exports already (stored directly: no media, no ffmpeg).
    const store = server!.tandem.ctx.storage.recordings;
    const manifest = (await store.get(id))!;
    manifest.exports = Array.from(
      { length: 5 },
      (_, i): RecordingExport => ({
        id: `exp_${i}`,
        state: i === 0 ? 'queued' : 'failed',
        progress: 0,
        file: null,
        bytes: null,
        error: i === 0 ? null : 'made up',
        createdAt: Date.now(),
        finishedAt: i === 0 ? null : Date.now(),
        speed: null,
      }),
    );
    await store.save(manifest, Date.now());
    const sixth = await ines<{ error: { code: string; message: string } }>(
      'POST',
      `/api/recordings/${id}/exports`,
    );
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.message).toMatch(/at most 5 exports per recording/);
    expect((await ines('GET', `/api/recordings/${id}/exports/exp_0`)).status).toBe(200);
    expect((await ana('GET', `/api/recordings/${id}/exports/exp_0`)).status).toBe(403);
    expect((await ana('DELETE', `/api/recordings/${id}/exports/exp_0`)).status).toBe(403);
    expect((await ana('POST', `/api/recordings/${id}/exports`)).status).toBe(403);
    // Nothing was cancelled by the refused request.
    const after = await ines<{ export: RecordingExport }>('GET', `/api/recordings/${id}/exports/exp_0`);
    expect(after.body.export.state).toBe('queued');
    // Once the class lets students watch, they read exports, and still may not cancel them.
    expect((await ines('PATCH', '/api/classes/rec1', { replayForStudents: true })).status).toBe(200);
    expect((await ana('GET', `/api/recordings/${id}/exports/exp_0`)).status).toBe(200);
    expect((await ana('DELETE', `/api/recordings/${id}/exports/exp_0`)).status).toBe(403);
  });
});
