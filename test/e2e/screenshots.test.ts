// Captures the main screens into docs/screenshots/: `npm run screenshots` (its own vitest project, not
// part of the test suite). Uses the real server, fake camera/microphone when the media worker is built.
import fs from 'node:fs';
import path from 'node:path';
import { addShape } from '@tandem/shared';
import * as mediasoup from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
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

async function joinCall(page: Page): Promise<void> {
  if (!withMedia) return;
  await page.click('[data-testid="preview-mic"]');
  await page.click('[data-testid="preview-cam"]');
  await page.waitForSelector('[data-testid="preview-cam"][aria-pressed="true"]');
  await page.click('[data-testid="join-call"]');
  await page.waitForSelector('.video-panel[data-phase="joined"]', { timeout: 20_000 });
}

describe('screenshots', () => {
  it('captures the main screens', async () => {
    await seedBoard('cs101');
    const ada = await newPage(browser, { media: true });
    const linus = await newPage(browser, { media: true });
    await openClass(ada.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace', cls: 'cs101' });
    await waitForEditor(ada.page);
    await clickIntoEditor(ada.page);
    await ada.page.keyboard.press('Control+End');
    // insertText pastes as-is (typing would race Monaco's lazily loaded Python indentation rules).
    await ada.page.keyboard.insertText('\n\nfor i in range(3):\n    print("step", i)\n');
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
    await joinCall(ada.page);
    await joinCall(linus.page);
    await ada.page.waitForSelector('.tandem-remote-label');
    if (withMedia)
      await ada.page.waitForFunction(() =>
        [...document.querySelectorAll('[data-testid="remote-tile"] video')].some(
          (v) => (v as HTMLVideoElement).videoWidth > 0,
        ),
      );
    await ada.page.locator('.tandem-remote-label').first().waitFor();
    await shot(ada.page, 'classroom-editor');

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

    const demo = await newPage(browser);
    await demo.page.setViewportSize({ width: 1024, height: 640 });
    await demo.page.goto(`${server.httpUrl}/demo`);
    await shot(demo.page, 'demo-landing');
  });
});
