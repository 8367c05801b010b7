// Two browsers with fake camera and microphone join the class call through the real SFU and receive each
// other's audio and video: inbound RTP byte counts grow and remote video frames are decoded.
import fs from 'node:fs';
import * as mediasoup from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { openClass, waitForEditor } from './helpers/classroom.ts';

const workerBuilt = fs.existsSync(mediasoup.workerBin);
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!workerBuilt)
    throw new Error(`mediasoup worker not built at ${mediasoup.workerBin}: run scripts/setup.sh`);
  await ensureClientBuilt();
  server = await startTestServer({
    MEDIA_ENABLED: 'true',
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
  });
  browser = await launchBrowser({ media: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Bytes = { audio: number; video: number };
const received = (page: Page): Promise<Bytes> =>
  page.evaluate(() => window.__tandemMedia?.receivedBytes() ?? Promise.resolve({ audio: 0, video: 0 }));

async function joinCall(page: Page): Promise<void> {
  await page.click('[data-testid="preview-mic"]');
  await page.waitForSelector('[data-testid="preview-mic"][aria-pressed="true"]');
  await page.click('[data-testid="preview-cam"]');
  await page.waitForSelector('[data-testid="preview-cam"][aria-pressed="true"]');
  await page.click('[data-testid="join-call"]');
  await page.waitForSelector('.video-panel[data-phase="joined"]', { timeout: 20_000 });
}

describe('video call', () => {
  it('delivers each person’s audio and video to the other (inbound RTP grows, frames decode)', async () => {
    const a = await newPage(browser, { media: true });
    const b = await newPage(browser, { media: true });
    await openClass(a.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace', cls: 'call1' });
    await openClass(b.page, server, { sub: 'bea', role: 'student', name: 'Bea Student', cls: 'call1' });
    await waitForEditor(a.page);
    await waitForEditor(b.page);
    await joinCall(a.page);
    await joinCall(b.page);

    for (const [page, other] of [
      [a.page, 'bea'],
      [b.page, 'ada'],
    ] as const) {
      await page.waitForSelector(`[data-testid="remote-tile"][data-peer="${other}"] video`, {
        timeout: 20_000,
      });
      const first = await waitFor(
        async () => {
          const bytes = await received(page);
          return bytes.audio > 0 && bytes.video > 0 && bytes;
        },
        { timeoutMs: 20_000, message: 'media arrives' },
      );
      const later = await waitFor(
        async () => {
          const bytes = await received(page);
          return bytes.audio > first.audio && bytes.video > first.video && bytes;
        },
        { timeoutMs: 10_000, message: 'media keeps arriving' },
      );
      expect(later.video).toBeGreaterThan(first.video);
      await waitFor(
        () =>
          page.$eval(
            `[data-testid="remote-tile"][data-peer="${other}"] video`,
            (v) => (v as HTMLVideoElement).videoWidth > 0,
          ),
        { timeoutMs: 10_000, message: 'remote video decodes' },
      );
    }

    // Muting shows on the other side as a muted tile.
    await a.page.click('[data-testid="toggle-mic"]');
    await waitFor(
      () => b.page.locator('[data-testid="remote-tile"][data-peer="ada"] [aria-label="Muted"]').count(),
      {
        timeoutMs: 10_000,
        message: 'remote mute shown',
      },
    );
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
