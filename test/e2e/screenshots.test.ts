// Captures the main screens into docs/screenshots/: `npm run screenshots` (its own vitest project, not
// part of the test suite). Uses the real server, fake camera/microphone when the media worker is built, and
// for the presenter's screen share a canvas drawing a slide (the browser's fake screen is a test pattern).
import fs from 'node:fs';
import path from 'node:path';
import { addShape, createCodeFile, getCodeFile } from '@tandem/shared';
import * as mediasoup from 'mediasoup';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt, REPO_ROOT } from './helpers/buildClient.ts';
import { clickIntoEditor, openClass, waitForEditor } from './helpers/classroom.ts';
import { type HostServer, startHostServer } from './helpers/hostServer.ts';

const OUT = path.join(REPO_ROOT, 'docs/screenshots');
const withMedia = fs.existsSync(mediasoup.workerBin);
let server: TestServer;
let browser: Browser;
let host: HostServer;

beforeAll(async () => {
  await ensureClientBuilt();
  host = await startHostServer();
  server = await startTestServer({
    EMBED_ORIGINS: host.origin,
    DEV_TOKENS: '1',
    ...(withMedia
      ? { MEDIA_ENABLED: 'true', MEDIA_WORKERS: '1', RTC_PORT: '0', RTC_LISTEN_IP: '127.0.0.1' }
      : {}),
  });
  browser = await launchBrowser({ media: true });
  fs.mkdirSync(OUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await host?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

async function seedBoard(cls: string): Promise<void> {
  const seeder = connectCollab(
    server,
    `${cls}/board/main`,
    await server.token({ sub: 'ada', role: 'instructor', cls }),
  );
  await seeder.synced();
  const base = { by: 'ada', text: '', w: 0, h: 0, width: 3 };
  const wave: number[] = [];
  for (let i = 0; i < 40; i++) wave.push(i * 8, Math.sin(i / 4) * 30);
  addShape(seeder.doc, {
    ...base,
    id: 'p1',
    kind: 'pen',
    x: 80,
    y: 120,
    color: '#2563eb',
    z: 1,
    points: wave,
  });
  addShape(seeder.doc, {
    ...base,
    id: 'r1',
    kind: 'rect',
    x: 440,
    y: 70,
    w: 180,
    h: 110,
    color: '#16a34a',
    z: 2,
  });
  addShape(seeder.doc, {
    ...base,
    id: 'a1',
    kind: 'arrow',
    x: 400,
    y: 125,
    w: -60,
    h: 0,
    color: '#1f2937',
    z: 3,
  });
  addShape(seeder.doc, {
    ...base,
    id: 't1',
    kind: 'text',
    x: 460,
    y: 110,
    w: 140,
    h: 24,
    color: '#1f2937',
    z: 4,
    width: 4,
    text: 'for i in range(3):',
  });
  addShape(seeder.doc, {
    ...base,
    id: 'e1',
    kind: 'ellipse',
    x: 120,
    y: 240,
    w: 200,
    h: 90,
    color: '#e11d48',
    z: 5,
  });
  addShape(seeder.doc, {
    ...base,
    id: 'n1',
    kind: 'sticky',
    x: 460,
    y: 240,
    w: 200,
    h: 130,
    color: '#f59e0b',
    z: 6,
    text: 'Question: why does the loop stop at 2?',
  });
  await seeder.saved();
  seeder.destroy();
}

async function joinCall(page: Page | Frame): Promise<void> {
  if (!withMedia) return;
  await page.click('[data-testid="preview-mic"]');
  await page.click('[data-testid="preview-cam"]');
  await page.waitForSelector('[data-testid="preview-cam"][aria-pressed="true"]');
  await page.click('[data-testid="join-call"]');
  await page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 30_000 });
}

/** Every video in `scope` shows decoded frames. */
async function videosPlaying(page: Page | Frame, scope: string): Promise<void> {
  if (!withMedia) return;
  await page.waitForFunction(
    (sel) => {
      const videos = [...document.querySelectorAll(`${sel} video`)] as HTMLVideoElement[];
      return videos.length > 0 && videos.every((v) => v.getVideoPlaybackQuality().totalVideoFrames > 5);
    },
    scope,
    { timeout: 30_000 },
  );
}

/** Replaces the screen picker with a canvas showing a slide, so the shared screen reads as one. */
function fakeSlideScreen(): void {
  navigator.mediaDevices.getDisplayMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const lines = [
      'for i in range(3):',
      '    print("step", i)',
      '',
      '# step 0',
      '# step 1',
      '# step 2      <- range(3) stops before 3',
    ];
    const draw = () => {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, 1280, 720);
      ctx.fillStyle = '#1e3a8a';
      ctx.fillRect(0, 0, 1280, 110);
      ctx.fillStyle = '#ffffff';
      ctx.font = 'bold 52px sans-serif';
      ctx.fillText('Week 3 · Loops in Python', 60, 74);
      ctx.fillStyle = '#f3f4f6';
      ctx.fillRect(60, 160, 1160, 420);
      ctx.font = '38px monospace';
      lines.forEach((line, i) => {
        ctx.fillStyle = line.startsWith('#') ? '#6b7280' : '#111827';
        ctx.fillText(line, 100, 230 + i * 62);
      });
      ctx.fillStyle = '#6b7280';
      ctx.font = '24px sans-serif';
      ctx.fillText(`range(n) counts 0, 1, …, n - 1  ·  ${new Date().toLocaleTimeString()}`, 60, 650);
    };
    draw();
    setInterval(draw, 250);
    return canvas.captureStream(10);
  };
}

async function sendChat(sub: string, name: string, text: string): Promise<void> {
  const token = await server.token({ sub, role: 'student', cls: 'cs101', name });
  await fetch(`${server.httpUrl}/api/classes/cs101/chat/main/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, replyTo: null }),
  });
}

describe('screenshots', () => {
  it('captures the main screens', { timeout: 300_000 }, async () => {
    await seedBoard('cs101');
    const ada = await newPage(browser, { media: true });
    await ada.page.setViewportSize({ width: 1400, height: 860 });
    await ada.page.addInitScript(fakeSlideScreen);
    await openClass(ada.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace', cls: 'cs101' });
    await waitForEditor(ada.page);
    await clickIntoEditor(ada.page);
    await ada.page.keyboard.press('Control+End');
    // insertText pastes as-is (typing would race Monaco's lazily loaded Python indentation rules).
    await ada.page.keyboard.insertText('\n\nfor i in range(3):\n    print("step", i)\n');
    const adaToken = await server.token({
      sub: 'ada',
      role: 'instructor',
      cls: 'cs101',
      name: 'Ada Lovelace',
    });
    await fetch(`${server.httpUrl}/api/classes/cs101/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ startNow: true }),
    });

    const linus = await newPage(browser, { media: true });
    await linus.page.setViewportSize({ width: 1400, height: 860 });
    await openClass(linus.page, server, {
      sub: 'linus',
      role: 'student',
      name: 'Linus Torvalds',
      cls: 'cs101',
    });
    await waitForEditor(linus.page);
    await clickIntoEditor(linus.page);
    await linus.page.keyboard.press('Control+End');
    await linus.page.keyboard.type('# my answer: range stops before 3');
    const others = [];
    for (const [sub, name] of [
      ['grace', 'Grace Hopper'],
      ['alan', 'Alan Turing'],
    ] as const) {
      const other = await newPage(browser, { media: true });
      await other.page.setViewportSize({ width: 1100, height: 700 });
      await openClass(other.page, server, { sub, role: 'student', name, cls: 'cs101' });
      await waitForEditor(other.page);
      others.push(other);
    }
    for (const p of [ada, linus, ...others]) await joinCall(p.page);
    await others[1]?.page.click('[data-tab="board"]');
    const graceToken = await server.token({
      sub: 'grace',
      role: 'student',
      cls: 'cs101',
      name: 'Grace Hopper',
    });
    await fetch(`${server.httpUrl}/api/classes/cs101/hands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${graceToken}` },
    });
    await sendChat('linus', 'Linus Torvalds', 'Why does it print only up to 2?');
    await sendChat('grace', 'Grace Hopper', 'Because `range(3)` is 0, 1, 2: it stops before 3.');
    await sendChat('alan', 'Alan Turing', 'So range(1, 4) would give 1, 2, 3?');

    await videosPlaying(ada.page, '[data-testid="video-grid"]');
    await ada.page.locator('[data-testid="chat-list"]').getByText('range(1, 4)').waitFor();
    // Linus moves: his name shows over his caret (it fades after a few seconds at rest).
    await clickIntoEditor(linus.page);
    await linus.page.keyboard.press('Home');
    await ada.page.locator('.tandem-remote-label:not(.resting)').first().waitFor();
    await ada.page.waitForTimeout(500); // the name fades in (screenshots only)
    await shot(ada.page, 'classroom-editor');

    await ada.page.click('[data-tab="people"]');
    await ada.page.locator('[data-user-id="grace"] [data-testid="person-hand"]').waitFor();
    await ada.page
      .locator('[data-user-id="alan"] [data-testid="person-where"]', { hasText: 'Whiteboard' })
      .waitFor();
    await shot(ada.page, 'people-list');

    if (withMedia) {
      await ada.page.click('text=Share screen');
      await linus.page.click('[data-testid="watch-share"]', { timeout: 20_000 });
      await videosPlaying(linus.page, '[data-testid="stage"]');
      await linus.page.locator('[data-testid="stage-overlay"] video').waitFor();
      await shot(linus.page, 'stage-screen-share');

      await linus.page.click('[data-testid="layout-gallery"]');
      await videosPlaying(linus.page, '[data-testid="stage-gallery"]');
      await shot(linus.page, 'stage-gallery');
      await linus.page.click('[data-testid="layout-speaker"]');

      await ada.page.click('[data-tab="stage"]');
      await ada.page.click('[data-tab="class"]');
      await videosPlaying(ada.page, '[data-testid="stage"]');
      await shot(ada.page, 'instructor-stage-controls');
    }

    await ada.page.click('[data-tab="board"]');
    await linus.page.click('[data-tab="board"]');
    const box = await linus.page.locator('[data-testid="board-canvas"]').boundingBox();
    if (box) await linus.page.mouse.move(box.x + 330, box.y + 200);
    await ada.page.waitForFunction(
      () => document.querySelector('[data-testid="board-stage"]')?.getAttribute('data-shape-count') === '6',
    );
    await ada.page.waitForTimeout(500); // let the remote pointer arrive (screenshots only)
    await shot(ada.page, 'whiteboard');

    const otto = await newPage(browser);
    await openClass(otto.page, server, {
      sub: 'otto',
      role: 'observer',
      name: 'Otto Observer',
      cls: 'cs101',
    });
    await waitForEditor(otto.page);
    await otto.page.waitForSelector('[data-testid="readonly-banner"]');
    await otto.page.evaluate(() =>
      document.querySelector<HTMLButtonElement>('.user-chip .icon-button')?.click(),
    );
    await shot(otto.page, 'observer-readonly-dark');

    const expired = await newPage(browser);
    const token = await server.token({ sub: 'old', role: 'student', cls: 'cs101', ttlSeconds: -60 });
    await expired.page.goto(`${server.httpUrl}/c/cs101#token=${token}`);
    await expired.page.waitForSelector('[data-testid="refused"]', { timeout: 15_000 });
    await shot(expired.page, 'token-refused');

    const hostPage = await newPage(browser);
    await hostPage.page.setViewportSize({ width: 1400, height: 720 });
    const embedToken = await server.token({
      sub: 'grace',
      role: 'student',
      name: 'Grace Hopper',
      cls: 'cs101',
    });
    const fragment = new URLSearchParams({
      tandem: server.httpUrl,
      class: 'cs101',
      view: 'all',
      token: embedToken,
    });
    await hostPage.page.goto(`${host.origin}/embed-host.html#${fragment}`);
    await hostPage.page.waitForFunction(() =>
      (window as unknown as { tandemEvents: { type: string }[] }).tandemEvents.some(
        (e) => e.type === 'presence',
      ),
    );
    await hostPage.page.frames()[1]?.waitForSelector('[data-testid="code-editor"] .view-lines');
    await shot(hostPage.page, 'embed-in-course-page');

    if (withMedia) {
      const videoHost = await newPage(browser, { media: true });
      await videoHost.page.setViewportSize({ width: 1400, height: 720 });
      const hedy = await server.token({ sub: 'hedy', role: 'student', name: 'Hedy Lamarr', cls: 'cs101' });
      const videoFragment = new URLSearchParams({
        tandem: server.httpUrl,
        class: 'cs101',
        view: 'video',
        token: hedy,
      });
      await videoHost.page.goto(`${host.origin}/embed-host.html#${videoFragment}`);
      const frame = await waitFor(
        () => videoHost.page.frames().find((f) => f.url().startsWith(`${server.httpUrl}/embed/`)),
        { timeoutMs: 10_000, message: 'embed frame' },
      );
      await joinCall(frame);
      await frame.waitForSelector('[data-testid="toggle-cam"][aria-pressed="true"]', { timeout: 20_000 });
      await videosPlaying(frame, '[data-testid="stage"]');
      await videoHost.page.mouse.move(1300, 700); // no hover effects on the tiles
      await shot(videoHost.page, 'embed-video');
    }

    const demo = await newPage(browser);
    await demo.page.setViewportSize({ width: 1024, height: 640 });
    await demo.page.goto(`${server.httpUrl}/demo`);
    await shot(demo.page, 'demo-landing');
  });

  it('captures the replay page', { timeout: 120_000 }, async () => {
    // A short class in `replay101`: Ada types while Linus asks in the chat and raises a hand.
    const cls = 'replay101';
    const adaToken = await server.token({ sub: 'ada', role: 'instructor', cls, name: 'Ada Lovelace' });
    const linusToken = await server.token({ sub: 'linus', role: 'student', cls, name: 'Linus Torvalds' });
    const rest = (token: string, method: string, url: string, body?: unknown) =>
      fetch(`${server.httpUrl}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ session?: { id: string } }>);
    const sessionId = (await rest(adaToken, 'POST', `/api/classes/${cls}/sessions`, { startNow: true }))
      .session!.id;
    const ada = connectCollab(server, `${cls}/code/main`, adaToken);
    const linus = connectCollab(server, `${cls}/code/main`, linusToken);
    await ada.synced();
    await linus.synced();
    createCodeFile(ada.doc, { id: 'main', name: 'main.py', content: '', createdBy: 'ada' });
    const type = async (client: typeof ada, text: string) => {
      const file = getCodeFile(client.doc, 'main')!;
      for (const ch of text) {
        file.text.insert(file.text.length, ch);
        await client.saved();
      }
    };
    await type(ada, 'def average(numbers):\n    total = sum(numbers)\n');
    await rest(linusToken, 'POST', `/api/classes/${cls}/chat/main/messages`, {
      text: 'What if the list is empty?',
      replyTo: null,
    });
    await rest(linusToken, 'POST', `/api/classes/${cls}/hands`);
    await type(ada, '    if not numbers:\n        return 0\n');
    const moment = Date.now();
    await waitFor(() => Date.now() > moment + 50, { intervalMs: 10 });
    await rest(adaToken, 'POST', `/api/classes/${cls}/chat/main/messages`, {
      text: 'Good question: we return 0 then.',
      replyTo: null,
    });
    await type(linus, '    return total / len(numbers)\n');
    ada.destroy();
    linus.destroy();
    await rest(adaToken, 'POST', `/api/sessions/${sessionId}/end`);

    const page = await newPage(browser);
    await page.page.setViewportSize({ width: 1400, height: 860 });
    await page.page.goto(`${server.httpUrl}/replay/${sessionId}?t=${moment}#token=${adaToken}`);
    await page.page.waitForSelector('[data-testid="replay"][data-loading="false"]', { timeout: 20_000 });
    await page.page.waitForSelector('[data-testid="when-written"]:not([disabled])', { timeout: 10_000 });
    await page.page.click('.replay-toggle input');
    await page.page.waitForSelector('.blame-label');
    await shot(page.page, 'replay');
  });
});
