// Recording a class from the page with real browsers: Chromium's fake camera and microphone in the call,
// staff press "Start recording" in the class controls, everyone (a student not in the call, a late joiner)
// sees the "Recording" indicator and, before joining, that joining is recorded; "Stop recording" takes it
// away; the recorded files (downloaded through their signed links) have the browser's codecs, last as long as
// the manifest says, are not silent and show a moving picture; the MP4 exported from the page plays in Chromium.
// "Record from the start" by Start class records the new session at once; after the class, the replay page
// shows a running export's progress and cancels it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordingExport, RecordingManifest, RecordingView } from '@tandem/shared';
import * as mediasoup from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distinctFrames, meanVolumeDb, probe } from '../helpers/ffmpegRtp.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { caller } from '../integration/classroom/classroomApi.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { openClass, waitForEditor } from './helpers/classroom.ts';

const SHOTS = '/work/briefs/shots';
let server: TestServer;
let browser: Browser;
let recordingsDir: string;

beforeAll(async () => {
  if (!fs.existsSync(mediasoup.workerBin))
    throw new Error(`mediasoup worker not built at ${mediasoup.workerBin}: run scripts/setup.sh`);
  await ensureClientBuilt();
  recordingsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-rec-'));
  server = await startTestServer({
    MEDIA_ENABLED: 'true',
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    RECORDINGS_DIR: recordingsDir,
  });
  browser = await launchBrowser({ media: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function joinCall(page: Page): Promise<void> {
  await page.click('[data-testid="preview-mic"]');
  await page.waitForSelector('[data-testid="preview-mic"][aria-pressed="true"]');
  await page.click('[data-testid="preview-cam"]');
  await page.waitForSelector('[data-testid="preview-cam"][aria-pressed="true"]');
  await page.click('[data-testid="join-call"]');
  await page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 20_000 });
}

const shot = async (page: Page, name: string) => {
  if (fs.existsSync(path.dirname(SHOTS))) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `recording-${name}.png`) });
  }
};

describe('recording from the class page', () => {
  it('staff start and stop it; everyone sees it; the files hold the browser’s real audio and video', async () => {
    const cls = 'rece2e';
    const staffToken = await server.token({ sub: 'ada', role: 'instructor', cls, name: 'Ada Lovelace' });
    const staff = caller(server, staffToken);
    const created = await staff<{ session: { id: string } }>('POST', `/api/classes/${cls}/sessions`, {
      startNow: true,
    });
    const sessionId = created.body.session.id;

    const teacher = await newPage(browser, { media: true });
    const student = await newPage(browser, { media: true });
    await openClass(teacher.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace', cls });
    await openClass(student.page, server, { sub: 'bea', role: 'student', name: 'Bea Student', cls });
    await waitForEditor(teacher.page);
    await waitForEditor(student.page);
    expect(await student.page.$('[data-testid="recording-indicator"]')).toBeNull();
    await joinCall(teacher.page);

    await teacher.page.getByRole('tab', { name: 'Class' }).click();
    await teacher.page.click('[data-testid="start-recording"]');
    await teacher.page.waitForSelector('[data-testid="stop-recording"]', { timeout: 10_000 });
    for (const page of [teacher.page, student.page]) {
      await page.waitForSelector('[data-testid="recording-indicator"]', { timeout: 10_000 });
    }
    // Bea has not joined the call: she is told joining records her.
    expect(await student.page.textContent('[data-testid="recording-indicator"]')).toMatch(
      /joining the call records your voice/,
    );
    expect(await teacher.page.textContent('[data-testid="recording-indicator"]')).toMatch(
      /being recorded\.$/,
    );
    // Someone arriving late sees it at once (it is in the class state).
    const late = await newPage(browser);
    await openClass(late.page, server, { sub: 'cy', role: 'student', name: 'Cy Late', cls });
    await late.page.waitForSelector('[data-testid="recording-indicator"]', { timeout: 20_000 });

    const list = async () =>
      (await staff<{ recordings: RecordingManifest[] }>('GET', `/api/sessions/${sessionId}/recordings`)).body
        .recordings;
    await waitFor(async () => (await list())[0]?.tracks.filter((t) => t.segments.length > 0).length === 2, {
      timeoutMs: 20_000,
      intervalMs: 200,
      message: 'the teacher’s microphone and camera being recorded',
    });
    const startedAt = Date.now();
    await waitFor(() => Date.now() - startedAt > 6000, { timeoutMs: 10_000, intervalMs: 100 });
    await shot(teacher.page, 'staff');
    await shot(student.page, 'student-before-joining');

    await teacher.page.click('[data-testid="stop-recording"]');
    await teacher.page.waitForSelector('[data-testid="start-recording"]', { timeout: 15_000 });
    for (const page of [teacher.page, student.page, late.page]) {
      await page.waitForSelector('[data-testid="recording-indicator"]', {
        state: 'detached',
        timeout: 10_000,
      });
    }

    const [recording] = await list();
    expect(recording).toMatchObject({ state: 'stopped', stopReason: 'stopped by Ada Lovelace' });
    const view = (await staff<{ recording: RecordingView }>('GET', `/api/recordings/${recording!.id}`)).body
      .recording;
    const sources = view.tracks.map((t) => t.source).sort();
    expect(sources).toEqual(['camera', 'mic']);
    for (const track of view.tracks) {
      expect(track.userId).toBe('ada');
      const segment = track.segments[0]!;
      const res = await fetch(`${server.httpUrl}${segment.url}`);
      expect(res.status).toBe(200);
      const file = path.join(recordingsDir, `download-${segment.file}`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const probed = await probe(file);
      const expectedSec = (segment.endOffsetMs! - segment.startOffsetMs) / 1000;
      expect(expectedSec).toBeGreaterThan(5);
      expect(Math.abs(probed.durationSec - expectedSec)).toBeLessThan(1);
      if (track.kind === 'audio') {
        expect(probed.codecs).toEqual(['opus']);
        expect(await meanVolumeDb(file)).toBeGreaterThan(-60);
      } else {
        expect(['vp8', 'h264']).toContain(probed.codecs[0]);
        expect(await distinctFrames(file)).toBeGreaterThan(20);
      }
    }
    // Export to MP4 from the page: a progress bar, then a download link; the file plays in Chromium.
    await teacher.page.click('[data-testid="export-recording"]');
    const link = await teacher.page.waitForSelector('[data-testid="export-download"]', { timeout: 120_000 });
    await shot(teacher.page, 'export-done');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/recordings\/.+\/files\/exp_.+\?expires=\d+&signature=/);
    const player = await newPage(browser);
    await player.page.setContent(`<video id="v" muted src="${server.httpUrl}${href}"></video>`);
    await player.page.evaluate(() => (document.getElementById('v') as HTMLVideoElement).play());
    await player.page.waitForFunction(
      () => (document.getElementById('v') as HTMLVideoElement).currentTime > 0.5,
      null,
      {
        timeout: 15_000,
      },
    );
    const played = await player.page.evaluate(() => {
      const video = document.getElementById('v') as HTMLVideoElement;
      return { width: video.videoWidth, height: video.videoHeight, error: video.error };
    });
    expect(played).toEqual({ width: 1280, height: 720, error: null });
    expect(teacher.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  it('"Record from the start" by Start class: the new session records at once, and everyone sees it', async () => {
    const cls = 'rece2e-start';
    const staffToken = await server.token({ sub: 'ada', role: 'instructor', cls, name: 'Ada Lovelace' });
    const staff = caller(server, staffToken);
    const teacher = await newPage(browser);
    const student = await newPage(browser);
    await openClass(teacher.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace', cls });
    await openClass(student.page, server, { sub: 'bea', role: 'student', name: 'Bea Student', cls });
    await waitForEditor(teacher.page);
    await waitForEditor(student.page);
    await teacher.page.getByRole('tab', { name: 'Class' }).click();
    // Not live: the recording group does not pretend that something will record by itself.
    expect(await teacher.page.textContent('[data-testid="staff-controls"]')).toContain(
      'Not recording (the class is not live)',
    );
    // The box is a plain checkbox beside its words, not stretched across the row (the row's text-input style
    // once gave it the row's width and wrapped "Record from the start" a word per line).
    const box = await teacher.page.locator('[data-testid="record-from-start"]').boundingBox();
    const label = await teacher.page.locator('label:has([data-testid="record-from-start"])').boundingBox();
    expect(box?.width).toBeLessThan(24);
    expect(label?.height).toBeLessThan(32);
    await teacher.page.check('[data-testid="record-from-start"]');
    await teacher.page.click('[data-testid="start-session"]');
    for (const page of [teacher.page, student.page]) {
      await page.waitForSelector('[data-testid="recording-indicator"]', { timeout: 15_000 });
    }
    await teacher.page.waitForSelector('[data-testid="stop-recording"]', { timeout: 10_000 });
    const state = await staff<{ session: { id: string } | null }>('GET', `/api/classes/${cls}/state`);
    const sessionId = state.body.session?.id;
    expect(sessionId).toBeTruthy();
    const { body } = await staff<{ recordings: RecordingManifest[] }>(
      'GET',
      `/api/sessions/${sessionId}/recordings`,
    );
    expect(body.recordings).toHaveLength(1);
    expect(body.recordings[0]).toMatchObject({ state: 'recording', sessionId, startedBy: 'ada' });
    await teacher.page.click('[data-testid="stop-recording"]');
    await teacher.page.waitForSelector('[data-testid="start-recording"]', { timeout: 15_000 });
    expect(teacher.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  it('after the class, the replay page shows a running export’s progress and cancels it', async () => {
    const cls = 'rece2e-after';
    const staffToken = await server.token({ sub: 'ada', role: 'instructor', cls, name: 'Ada Lovelace' });
    const staff = caller(server, staffToken);
    const created = await staff<{ session: { id: string } }>('POST', `/api/classes/${cls}/sessions`, {
      startNow: true,
      record: true,
    });
    const sessionId = created.body.session.id;
    const list = async () =>
      (await staff<{ recordings: RecordingManifest[] }>('GET', `/api/sessions/${sessionId}/recordings`)).body
        .recordings;
    // Polled every 200 ms: the recording routes allow a burst of 60 requests, then 10 a second.
    const recordingId = (
      await waitFor(async () => (await list()).find((r) => r.state === 'recording'), {
        intervalMs: 200,
        timeoutMs: 20_000,
      })
    ).id;
    expect((await staff('POST', `/api/sessions/${sessionId}/end`)).status).toBe(200);
    await waitFor(async () => (await list())[0]?.state === 'stopped', {
      message: 'the recording stopped',
      intervalMs: 200,
      timeoutMs: 20_000,
    });
    // An export under way (stored as the export job keeps it: its progress in the manifest).
    const store = server.tandem.ctx.storage.recordings;
    const manifest = (await store.get(recordingId))!;
    const running: RecordingExport = {
      id: 'exp_running',
      state: 'running',
      progress: 0.42,
      file: null,
      bytes: null,
      error: null,
      createdAt: Date.now(),
      finishedAt: null,
      speed: null,
    };
    manifest.exports = [running];
    await store.save(manifest, Date.now());

    const page = await newPage(browser);
    await page.page.goto(`${server.httpUrl}/replay/${sessionId}#token=${staffToken}`);
    await page.page.waitForSelector('[data-testid="replay-export"][data-state="making"]', {
      timeout: 20_000,
    });
    expect(await page.page.getAttribute('[data-testid="video-progress"]', 'value')).toBe('42');
    expect(await page.page.textContent('[data-testid="replay-export"]')).toContain('42%');
    // The page polls: progress made elsewhere shows up.
    manifest.exports = [{ ...running, progress: 0.77 }];
    await store.save(manifest, Date.now());
    await page.page.waitForSelector('[data-testid="video-progress"][value="77"]', { timeout: 10_000 });
    await shot(page.page, 'replay-export-progress');

    await page.page.click('[data-testid="cancel-video"]');
    await page.page.waitForSelector('[data-testid="replay-export"][data-state="idle"]', { timeout: 10_000 });
    expect(await page.page.isVisible('[data-testid="make-video"]')).toBe(true);
    const view = (await staff<{ recording: RecordingView }>('GET', `/api/recordings/${recordingId}`)).body
      .recording;
    expect(view.exports[0]).toMatchObject({ id: 'exp_running', state: 'cancelled' });
    expect(page.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
