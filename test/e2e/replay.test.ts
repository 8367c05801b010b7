// The replay page with a real server and a real browser: a scripted class (Hocuspocus clients typing, chat
// posted through the REST API, a hand raised, one message deleted after the class), ended, then opened as the
// instructor. At several moments (a link's `t=`, a chat message's time, the keyboard) the editor shows exactly
// the server's `/at?t=` text and the chat shows the messages posted up to then; the deleted one is a tombstone;
// the file Ada had open is a marker that jumps there; a student without the class setting is refused with a
// message page. With a recorded call and its MP4, the
// editor's logical time follows the video's currentTime.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addShape,
  type BlameReply,
  createCodeFile,
  type DocumentAtReply,
  getCodeFile,
  type RecordingView,
  type ReplayInfo,
} from '@tandem/shared';
import * as mediasoup from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FILE_DWELL_MS } from '../../server/src/collab/presence/openFiles.ts';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { type Caller, caller } from '../integration/classroom/classroomApi.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { editorText } from './helpers/classroom.ts';
import { type HostServer, startHostServer } from './helpers/hostServer.ts';

const SHOTS = '/work/briefs/shots';
/** A course page on another origin: a static server over a directory the test writes the page into. */
let host: HostServer;
const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-course-'));
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(mediasoup.workerBin))
    throw new Error(`mediasoup worker not built at ${mediasoup.workerBin}: run scripts/setup.sh`);
  await ensureClientBuilt();
  host = await startHostServer(hostDir);
  server = await startTestServer({
    MEDIA_ENABLED: 'true',
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    RECORDINGS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-replay-')),
    RECORDINGS_STUDENTS_MAY_WATCH: 'false',
    EMBED_ORIGINS: host.origin,
  });
  browser = await launchBrowser({ media: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await host?.close();
});

const shot = async (page: Page, name: string) => {
  if (fs.existsSync(path.dirname(SHOTS))) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `timeline-client-${name}.png`) });
  }
};

/** Waits until the server's clock has passed `t` (so two moments of the script are apart). */
const clockPasses = (t: number) => waitFor(() => Date.now() > t + 30, { intervalMs: 5 });

/** The text of file `main` of `docName` as the server says it was at `t`. */
async function textAt(api: Caller, docName: string, t: number): Promise<string> {
  const reply = await api<DocumentAtReply>('GET', `/api/documents/${docName}/at?t=${t}`);
  expect(reply.status).toBe(200);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(reply.body.update, 'base64'));
  return getCodeFile(doc, 'main')?.text.toString() ?? '';
}

async function openReplay(page: Page, sessionId: string, token: string, t?: number) {
  // Leave first: the same address with only a new fragment would not load the page again.
  await page.goto('about:blank');
  await page.goto(`${server.httpUrl}/replay/${sessionId}${t === undefined ? '' : `?t=${t}`}#token=${token}`);
}

/** Waits until the page's document shows logical time `t`, loaded. */
async function replayShows(page: Page, t: number) {
  await page.waitForFunction(
    (expected) => {
      const root = document.querySelector('[data-testid="replay"]');
      return (
        root?.getAttribute('data-loading') === 'false' &&
        root.getAttribute('data-replay-time') === String(expected)
      );
    },
    t,
    { timeout: 15_000 },
  );
}

const replayTime = async (page: Page) =>
  Number(await page.getAttribute('[data-testid="replay"]', 'data-replay-time'));

async function chatIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="replay-chat"] [data-message-id]', (els) =>
    els.map((e) => e.getAttribute('data-message-id') ?? ''),
  );
}

/** The editor's text, once it equals the server's text at the page's time (Monaco renders a frame later). */
async function expectEditorMatchesServer(page: Page, api: Caller, docName: string) {
  const t = await replayTime(page);
  const expected = await textAt(api, docName, t);
  await waitFor(async () => (await editorText(page)) === expected, {
    timeoutMs: 5000,
    message: `editor shows the text at ${t}: ${JSON.stringify(expected)}`,
  });
  return expected;
}

describe('replaying a class', () => {
  it('shows the code and chat of each moment; deleted stays deleted; keys play and pause; students refused', {
    timeout: 120_000,
  }, async () => {
    const cls = 'replaye2e';
    const docName = `${cls}/code/main`;
    const adaToken = await server.token({ sub: 'ada', role: 'instructor', cls, name: 'Ada Lovelace' });
    const linusToken = await server.token({ sub: 'linus', role: 'student', cls, name: 'Linus' });
    const ada = caller(server, adaToken);
    const linus = caller(server, linusToken);
    const started = await ada<{ session: { id: string } }>('POST', `/api/classes/${cls}/sessions`, {
      startNow: true,
    });
    expect(started.status).toBe(201);
    const sessionId = started.body.session.id;

    // The script: Ada types, Linus asks in the chat and raises a hand, Ada types more, Linus posts something
    // that Ada deletes after the class.
    const adaClient = connectCollab(server, docName, adaToken);
    const linusClient = connectCollab(server, docName, linusToken);
    await adaClient.synced();
    await linusClient.synced();
    if (!getCodeFile(adaClient.doc, 'main'))
      createCodeFile(adaClient.doc, { id: 'main', name: 'main.py', content: '', createdBy: 'ada' });
    await adaClient.saved();
    // Ada's editor shows main.py (as the class page's editor says in its presence).
    const fileAt = Date.now();
    adaClient.provider.setAwarenessField('file', 'main');
    const board = connectCollab(server, `${cls}/board/main`, adaToken);
    await board.synced();
    const draw = async (id: string, x: number) => {
      const base = { by: 'ada', text: '', w: 120, h: 80, width: 3, color: '#2563eb' };
      addShape(board.doc, { ...base, id, kind: 'rect', x, y: 40, z: x });
      await board.saved();
    };
    const type = async (text: string) => {
      const file = getCodeFile(adaClient.doc, 'main')!;
      for (const ch of text) {
        file.text.insert(file.text.length, ch);
        await adaClient.saved();
      }
    };
    await type('def greet(name):\n');
    const t1 = Date.now();
    await clockPasses(t1);
    const question = await linus<{ message: { id: string } }>(
      'POST',
      `/api/classes/${cls}/chat/main/messages`,
      {
        text: 'What does greet return?',
        replyTo: null,
      },
    );
    expect(question.status).toBe(201);
    expect((await linus('POST', `/api/classes/${cls}/hands`)).status).toBe(200);
    const t2 = Date.now();
    await clockPasses(t2);
    await type('    return "hi " + name\n');
    await draw('r1', 40);
    const t3 = Date.now();
    await clockPasses(t3);
    const rude = await linus<{ message: { id: string } }>('POST', `/api/classes/${cls}/chat/main/messages`, {
      text: 'RUDE-WORD-42',
      replyTo: null,
    });
    const answer = await ada<{ message: { id: string } }>('POST', `/api/classes/${cls}/chat/main/messages`, {
      text: 'A greeting, as a string',
      replyTo: null,
    });
    await draw('r2', 240);
    await type('print(greet("class"))\n');
    const t4 = Date.now();
    await clockPasses(t4);
    // Open long enough to count: told when her connection closes.
    await waitFor(() => Date.now() > fileAt + FILE_DWELL_MS + 50, { message: 'main.py open 2 s' });
    adaClient.destroy();
    board.destroy();
    linusClient.destroy();
    expect((await ada('POST', `/api/sessions/${sessionId}/end`)).status).toBe(200);
    // Moderation after the class: the message is deleted now, and so in every replay.
    expect(
      (await ada('DELETE', `/api/classes/${cls}/chat/main/messages/${rude.body.message.id}`)).status,
    ).toBe(200);

    // The server's own answers are the reference; sanity-check them against the script.
    expect(await textAt(ada, docName, t1)).toBe('def greet(name):\n');
    expect(await textAt(ada, docName, t4)).toBe(
      'def greet(name):\n    return "hi " + name\nprint(greet("class"))\n',
    );

    const teacher = await newPage(browser);
    // A link to a moment opens there.
    await openReplay(teacher.page, sessionId, adaToken, t1);
    await replayShows(teacher.page, t1);
    expect(await expectEditorMatchesServer(teacher.page, ada, docName)).toBe('def greet(name):\n');
    expect(await chatIds(teacher.page)).toEqual([]);
    // The file she opened is a marker on the scrubber; clicking it jumps to when she opened it.
    const fileMarker = teacher.page.locator('[data-marker-kind="file"]');
    await fileMarker.waitFor();
    expect(await fileMarker.getAttribute('aria-label')).toMatch(/: Ada Lovelace opened main\.py$/);
    const openedAt = Number(await fileMarker.getAttribute('data-at'));
    expect(openedAt).toBeGreaterThanOrEqual(fileAt);
    expect(openedAt).toBeLessThan(t1);
    await fileMarker.click();
    await replayShows(teacher.page, openedAt);
    // The keyboard help opens from its button and closes with Escape, as a dialog does.
    const help = '[role="dialog"][aria-label="Keyboard shortcuts"]';
    await teacher.page.click('[data-testid="replay-help"]');
    await teacher.page.waitForSelector(help);
    await teacher.page.keyboard.press('Escape');
    await teacher.page.waitForSelector(help, { state: 'detached', timeout: 5_000 });

    // The embedded form opens the same moment.
    await teacher.page.goto(
      `${server.httpUrl}/embed/${cls}?view=replay&session=${sessionId}&t=${t3}#token=${adaToken}`,
    );
    await replayShows(teacher.page, t3);
    await expectEditorMatchesServer(teacher.page, ada, docName);
    expect(await chatIds(teacher.page)).toEqual([question.body.message.id]);

    // In a course page's iframe: `ready` asks for a token, `setToken` opens the replay, live-class commands are
    // refused.
    const course = await newPage(browser);
    const frameSrc = `${server.httpUrl}/embed/${cls}?view=replay&session=${sessionId}&t=${t3}&parent=${encodeURIComponent(host.origin)}`;
    fs.writeFileSync(
      path.join(hostDir, 'course.html'),
      `<!doctype html><iframe id="f" style="width:1200px;height:700px" src="${frameSrc}"></iframe><script>
          window.events = [];
          window.addEventListener('message', (e) => {
            if (e.origin !== ${JSON.stringify(server.httpUrl)}) return;
            window.events.push(e.data);
            const send = (m) => document.getElementById('f').contentWindow.postMessage({ tandem: 1, ...m }, ${JSON.stringify(server.httpUrl)});
            if (e.data.type === 'ready') {
              send({ type: 'follow', userId: null, id: 'f1' });
              send({ type: 'setToken', token: ${JSON.stringify(adaToken)} });
            }
          });
        </script>`,
    );
    await course.page.goto(`${host.origin}/course.html`);
    const frame = await waitFor(() =>
      course.page.frames().find((f) => f.url().startsWith(`${server.httpUrl}/embed/`)),
    );
    await frame.waitForSelector('[data-testid="replay"][data-loading="false"]', { timeout: 15_000 });
    expect(await frame.getAttribute('[data-testid="replay"]', 'data-replay-time')).toBe(String(t3));
    const hostEvents = (await course.page.evaluate('window.events')) as {
      type: string;
      code?: string;
      commandId?: string;
    }[];
    expect(hostEvents[0]).toMatchObject({ type: 'ready', view: 'replay', needsToken: true });
    expect(hostEvents).toContainEqual(
      expect.objectContaining({ type: 'error', code: 'bad_command', commandId: 'f1' }),
    );
    await course.context.close();

    await openReplay(teacher.page, sessionId, adaToken, t3);
    await replayShows(teacher.page, t3);
    await expectEditorMatchesServer(teacher.page, ada, docName);
    expect(await chatIds(teacher.page)).toEqual([question.body.message.id]);
    await shot(teacher.page, 'instructor');

    // Keyboard: Shift+Right moves 30 s (to the end of this short class): everything, and the tombstone.
    await teacher.page.locator('body').press('Shift+ArrowRight');
    await teacher.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="replay-chat"] [data-message-id]').length === 3,
    );
    await expectEditorMatchesServer(teacher.page, ada, docName);
    expect(await chatIds(teacher.page)).toEqual([
      question.body.message.id,
      rude.body.message.id,
      answer.body.message.id,
    ]);
    expect(await teacher.page.textContent(`[data-message-id="${rude.body.message.id}"]`)).toMatch(/deleted/);
    expect(await teacher.page.content()).not.toContain('RUDE-WORD-42');

    // Clicking a message's time jumps to when it was posted.
    await teacher.page.click(`[data-message-id="${question.body.message.id}"] .replay-chat-jump`);
    await teacher.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="replay-chat"] [data-message-id]').length === 1,
    );
    await teacher.page.waitForFunction(
      () => document.querySelector('[data-testid="replay"]')?.getAttribute('data-loading') === 'false',
    );
    const atQuestion = await replayTime(teacher.page);
    expect(atQuestion).toBeGreaterThan(t1);
    expect(atQuestion).toBeLessThan(t2 + 1);
    expect(await expectEditorMatchesServer(teacher.page, ada, docName)).toBe('def greet(name):\n');

    // Space plays, space pauses; the document follows the clock and ends where the clock stopped.
    await teacher.page.locator('body').press('Space');
    await teacher.page.waitForSelector('[data-testid="replay"][data-playing="true"]');
    await waitFor(async () => (await replayTime(teacher.page)) > atQuestion + 300, { timeoutMs: 10_000 });
    await teacher.page.locator('body').press('Space');
    await teacher.page.waitForSelector('[data-testid="replay"][data-playing="false"]');
    await waitFor(
      async () =>
        Math.abs(
          (await replayTime(teacher.page)) -
            Number(await teacher.page.getAttribute('[data-testid="replay"]', 'data-clock-time')),
        ) < 1,
      { timeoutMs: 5000, message: 'the document at the time the clock paused at' },
    );
    await expectEditorMatchesServer(teacher.page, ada, docName);

    // `.` steps to the next edit of the open document, `,` back to before the one shown.
    const seq = async () => Number(await teacher.page.getAttribute('[data-testid="replay"]', 'data-doc-seq'));
    const before = await seq();
    await teacher.page.locator('body').press('.');
    await waitFor(async () => (await seq()) === before + 1, { message: 'one edit further' });
    await expectEditorMatchesServer(teacher.page, ada, docName);
    await teacher.page.locator('body').press(',');
    await waitFor(async () => (await seq()) === before, { message: 'one edit back' });
    await expectEditorMatchesServer(teacher.page, ada, docName);

    // "When was this written?" on line 2 jumps to the time blame (as of the moment shown) gives that line.
    await openReplay(teacher.page, sessionId, adaToken, t4);
    await replayShows(teacher.page, t4);
    const blame = await ada<BlameReply>('GET', `/api/documents/${docName}/blame?file=main&t=${t4}`);
    const line2 = blame.body.lines.find((l) => l.line === 2)!;
    expect(line2).toMatchObject({ userId: 'ada' });
    await teacher.page.click('[data-testid="code-editor"] .view-line >> nth=1');
    await teacher.page.click('[data-testid="when-written"]:not([disabled])');
    await teacher.page.waitForSelector(`[data-testid="replay"][data-clock-time="${line2.ts}"]`);
    expect(await teacher.page.textContent('.replay-note')).toMatch(/^Line 2 was written by Ada Lovelace/);

    // The whiteboard as it was: one rectangle at t3, two at the end.
    await openReplay(teacher.page, sessionId, adaToken, t3);
    await replayShows(teacher.page, t3);
    await teacher.page.selectOption('[data-testid="replay-document"]', `${cls}/board/main`);
    await teacher.page.waitForSelector('[data-testid="replay-board"][data-shape-count="1"]');
    await teacher.page.locator('body').press('Shift+ArrowRight');
    await teacher.page.waitForSelector('[data-testid="replay-board"][data-shape-count="2"]');
    await shot(teacher.page, 'board');
    expect(teacher.errors.filter((e) => !/favicon/.test(e))).toEqual([]);

    // A student, while the class does not allow replay: a message page, not a blank one.
    const student = await newPage(browser);
    await openReplay(student.page, sessionId, linusToken);
    await student.page.waitForSelector('[data-testid="replay-refused"]', { timeout: 15_000 });
    expect(await student.page.textContent('h1')).toBe('You may not replay this session');
    await shot(student.page, 'student-refused');
    // An unknown session says so.
    await openReplay(student.page, 'no-such-session', adaToken);
    await student.page.waitForSelector('[data-testid="replay-refused"]', { timeout: 15_000 });
    expect(await student.page.textContent('h1')).toBe('No such session');

    // Staff find the session under Past sessions in the Class tab, and let students replay with the switch.
    await teacher.page.goto(`${server.httpUrl}/c/${cls}#token=${adaToken}`);
    await teacher.page.getByRole('tab', { name: 'Class' }).click({ timeout: 20_000 });
    await teacher.page.waitForSelector(`[data-testid="past-sessions"] [data-session-id="${sessionId}"]`);
    const allow = teacher.page.locator('[data-testid="replay-for-students"]');
    expect(await allow.isChecked()).toBe(false);
    await allow.check();
    await waitFor(
      async () =>
        (await ada<{ class: { replayForStudents: boolean | null } }>('GET', `/api/classes/${cls}`)).body.class
          .replayForStudents === true,
      { message: 'the class setting saved' },
    );
    await allow.scrollIntoViewIfNeeded();
    await shot(teacher.page, 'replay-switch');
    await teacher.page.locator('[data-testid="past-sessions"]').scrollIntoViewIfNeeded();
    await shot(teacher.page, 'class-tab');

    // The student finds the session under Replays on the class page and opens it.
    await student.page.goto(`${server.httpUrl}/c/${cls}#token=${linusToken}`);
    await student.page.getByRole('tab', { name: 'Replays' }).click({ timeout: 20_000 });
    const href = await student.page.getAttribute(
      `[data-session-id="${sessionId}"] [data-testid="replay-link"]`,
      'href',
    );
    expect(href).toMatch(new RegExp(`^/replay/${sessionId}#token=`));
    await shot(student.page, 'student-class-replays');
    await student.page.goto(`${server.httpUrl}${href}`);
    await student.page.waitForSelector('[data-testid="replay"][data-loading="false"]', { timeout: 15_000 });
    await expectEditorMatchesServer(student.page, linus, docName);
    // The deleted message is a tombstone for students too.
    await student.page.locator('body').press('Shift+ArrowRight');
    await student.page.waitForSelector(
      `[data-message-id="${rude.body.message.id}"] [data-testid="replay-tombstone"]`,
    );
    expect(await student.page.content()).not.toContain('RUDE-WORD-42');
    await shot(student.page, 'student');
    expect(teacher.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    await teacher.context.close();
    await student.context.close();
  });
});

describe('replaying a recorded class', () => {
  it('the editor’s logical time follows the video’s currentTime', { timeout: 180_000 }, async () => {
    const cls = 'replaymedia';
    const docName = `${cls}/code/main`;
    const adaToken = await server.token({ sub: 'ada', role: 'instructor', cls, name: 'Ada Lovelace' });
    const ada = caller(server, adaToken);
    const created = await ada<{ session: { id: string } }>('POST', `/api/classes/${cls}/sessions`, {
      startNow: true,
    });
    const sessionId = created.body.session.id;

    // Ada in the call with Chromium's fake camera and microphone; recording on; typing while it records.
    const teacher = await newPage(browser, { media: true });
    await teacher.page.goto(`${server.httpUrl}/c/${cls}#token=${adaToken}`);
    await teacher.page.waitForSelector('[data-testid="code-editor"] .view-lines', { timeout: 20_000 });
    await teacher.page.click('[data-testid="preview-mic"]');
    await teacher.page.click('[data-testid="preview-cam"]');
    await teacher.page.waitForSelector('[data-testid="preview-cam"][aria-pressed="true"]');
    await teacher.page.click('[data-testid="join-call"]');
    await teacher.page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 20_000 });
    expect((await ada('POST', `/api/sessions/${sessionId}/recording`, { action: 'start' })).status).toBe(200);
    await waitFor(
      async () =>
        (
          await ada<{ recordings: { tracks: { segments: unknown[] }[] }[] }>(
            'GET',
            `/api/sessions/${sessionId}/recordings`,
          )
        ).body.recordings[0]?.tracks.some((t) => t.segments.length > 0),
      { timeoutMs: 20_000, message: 'recording' },
    );
    const client = connectCollab(server, docName, adaToken);
    await client.synced();
    await waitFor(() => getCodeFile(client.doc, 'main') !== null, { message: 'the page made main.py' });
    const file = getCodeFile(client.doc, 'main')!;
    const typedFrom = Date.now();
    for (const ch of 'x = 1\ny = 2\nz = x + y\n') {
      file.text.insert(file.text.length, ch);
      await client.saved();
      await clockPasses(Date.now() + 150);
    }
    await clockPasses(typedFrom + 6000);
    expect((await ada('POST', `/api/sessions/${sessionId}/recording`, { action: 'stop' })).status).toBe(200);
    client.destroy();
    await teacher.context.close();
    expect((await ada('POST', `/api/sessions/${sessionId}/end`)).status).toBe(200);

    // The MP4 of the recording, made through the page ("Make a video for replay").
    const page = await newPage(browser);
    await openReplay(page.page, sessionId, adaToken);
    await page.page.click('[data-testid="make-video"]', { timeout: 20_000 });
    // No second export is offered while it runs; when it is done the page offers to reload.
    await page.page.waitForSelector('[data-testid="replay-export"][data-state="ready"]', {
      timeout: 120_000,
    });
    const info = (await ada<ReplayInfo>('GET', `/api/sessions/${sessionId}/replay`)).body;
    const recordingId = info.recordings[0]!.id;
    await waitFor(
      async () =>
        (
          await ada<{ recording: RecordingView }>('GET', `/api/recordings/${recordingId}`)
        ).body.recording.exports.some((e) => e.state === 'done'),
      { timeoutMs: 120_000, intervalMs: 500, message: 'the MP4 export' },
    );
    const withVideo = (await ada<ReplayInfo>('GET', `/api/sessions/${sessionId}/replay`)).body;
    const recording = withVideo.recordings[0]!;
    expect(recording.video).not.toBeNull();

    await page.page.reload();
    await page.page.waitForSelector('[data-testid="replay-video"]', { timeout: 15_000 });
    await page.page.waitForFunction(
      () => (document.querySelector('[data-testid="replay-video"]') as HTMLVideoElement).readyState >= 1,
      null,
      { timeout: 15_000 },
    );
    // Seeking the element (as its own controls do) moves the replay: t = startedAt + currentTime.
    for (const seconds of [1, 3.5, 2]) {
      await page.page.evaluate(async (s) => {
        const video = document.querySelector('[data-testid="replay-video"]') as HTMLVideoElement;
        const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
        video.currentTime = s;
        await seeked;
      }, seconds);
      const currentTime = await page.page.evaluate(
        () => (document.querySelector('[data-testid="replay-video"]') as HTMLVideoElement).currentTime,
      );
      const expected = recording.startedAt + currentTime * 1000;
      await waitFor(async () => Math.abs((await replayTime(page.page)) - expected) < 1, {
        timeoutMs: 10_000,
        message: `replay time follows currentTime ${currentTime}`,
      });
      await expectEditorMatchesServer(page.page, ada, docName);
    }
    // Playing the video moves the documents along; pausing it stops them at the element's time.
    await page.page.evaluate(() => {
      const video = document.querySelector('[data-testid="replay-video"]') as HTMLVideoElement;
      video.muted = true;
      return video.play();
    });
    await page.page.waitForFunction(
      () => (document.querySelector('[data-testid="replay-video"]') as HTMLVideoElement).currentTime > 3,
      null,
      { timeout: 15_000 },
    );
    await shot(page.page, 'recording');
    await page.page.evaluate(() =>
      (document.querySelector('[data-testid="replay-video"]') as HTMLVideoElement).pause(),
    );
    const pausedAt = await page.page.evaluate(
      () => (document.querySelector('[data-testid="replay-video"]') as HTMLVideoElement).currentTime,
    );
    await waitFor(
      async () => Math.abs((await replayTime(page.page)) - (recording.startedAt + pausedAt * 1000)) < 1,
      {
        timeoutMs: 10_000,
        message: 'replay time at the paused element',
      },
    );
    await expectEditorMatchesServer(page.page, ada, docName);
    expect(page.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    await page.context.close();
  });
});
