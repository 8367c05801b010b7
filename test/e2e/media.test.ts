// Two browsers with fake camera and microphone join the class call through the real SFU and receive each
// other's audio and video: inbound RTP byte counts grow and remote video frames are decoded. The call
// refreshes its token when an embed host sends a new one, says "Session expired" when the token runs out,
// and says before Join when the server has no video.
import fs from 'node:fs';
import { decodeJwt } from 'jose';
import * as mediasoup from 'mediasoup';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaServiceOf } from '../../server/src/media/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { openClass, waitForEditor } from './helpers/classroom.ts';
import { type HostServer, startHostServer } from './helpers/hostServer.ts';

const workerBuilt = fs.existsSync(mediasoup.workerBin);
let server: TestServer;
let browser: Browser;
let host: HostServer;

beforeAll(async () => {
  if (!workerBuilt)
    throw new Error(`mediasoup worker not built at ${mediasoup.workerBin}: run scripts/setup.sh`);
  await ensureClientBuilt();
  host = await startHostServer();
  server = await startTestServer({
    EMBED_ORIGINS: host.origin,
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
  await host?.close();
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
  await page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 20_000 });
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

/** A token that expires `ttlSeconds` from now (rounded down to the second), and when. */
async function shortToken(
  user: { sub: string; role: 'student' | 'instructor'; cls: string },
  ttlSeconds: number,
) {
  const token = await server.token({ ...user, ttlSeconds });
  return { token, expiresAtMs: (decodeJwt(token).exp ?? 0) * 1000 };
}

const phaseOf = (target: Page | Frame) =>
  target.$eval('[data-call]', (el) => el.getAttribute('data-phase')).catch(() => null);

describe('video call sign-in', () => {
  it('stays in the call past the first token’s expiry when the embed host sends a fresh token', async () => {
    const { page, context } = await newPage(browser);
    const user = { sub: 'lin', role: 'student', cls: 'call2' } as const;
    const { token, expiresAtMs } = await shortToken(user, 12);
    const fragment = new URLSearchParams({ tandem: server.httpUrl, class: 'call2', view: 'video', token });
    await page.goto(`${host.origin}/embed-host.html#${fragment}`);
    const frame = await waitFor(
      () => page.frames().find((f) => f.url().startsWith(`${server.httpUrl}/embed/`)),
      { timeoutMs: 10_000, message: 'embed frame' },
    );
    await frame.click('[data-testid="join-call"]', { timeout: 20_000 });
    await frame.waitForSelector('[data-call][data-phase="joined"]', { timeout: 20_000 });

    // The server asked for a fresh token at join (this one expires within 30 s); the embed's token store
    // still holds the old one, so the call waits for the host's setToken and sends that.
    const fresh = await server.token({ ...user });
    await page.evaluate((t) => {
      (window as unknown as { tandemHost: { send(c: object): void } }).tandemHost.send({
        type: 'setToken',
        token: t,
      });
    }, fresh);
    await waitFor(() => Date.now() > expiresAtMs + 1500, { timeoutMs: 20_000, message: 'first expiry' });
    expect(await phaseOf(frame)).toBe('joined');
    expect(await frame.$('[data-testid="media-expired"]')).toBeNull();
    expect(
      mediaServiceOf(server.tandem.ctx)
        ?.peers('call2')
        .map((p) => p.userId),
    ).toEqual(['lin']);
    await context.close();
  });

  it('says "Session expired" when the token runs out during the call', async () => {
    const { page, context } = await newPage(browser);
    const user = { sub: 'kim', role: 'student', cls: 'call3' } as const;
    const { token, expiresAtMs } = await shortToken(user, 10);
    await page.goto(`${server.httpUrl}/c/call3#token=${token}`);
    await page.click('[data-testid="join-call"]', { timeout: 20_000 });
    await page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 20_000 });
    const expired = await page.waitForSelector('[data-testid="media-expired"]', { timeout: 20_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAtMs);
    expect(await expired.textContent()).toMatch(/session expired.*session has expired/i);
    expect(mediaServiceOf(server.tandem.ctx)?.peers('call3')).toEqual([]);
    await context.close();
  });

  it('joins again by itself when the class’s call is handed over (a cluster moved the class)', async () => {
    const { page, context, errors } = await newPage(browser);
    await openClass(page, server, { sub: 'max', role: 'student', name: 'Max', cls: 'call4' });
    await page.click('[data-testid="join-call"]', { timeout: 20_000 });
    await page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 20_000 });
    const media = mediaServiceOf(server.tandem.ctx)!;
    const before = media.peers('call4')[0]!.peerId;
    expect(await media.handOver('call4', 'this class moved to another server; reconnecting')).toBe(true);
    // A new peer of the same person: the page rejoined on its own instead of saying video is unavailable.
    await waitFor(() => media.peers('call4').some((p) => p.peerId !== before), {
      timeoutMs: 20_000,
      message: 'rejoined after the handover',
    });
    await page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 20_000 });
    expect(await page.$('[data-call][data-phase="unavailable"]')).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says before Join, calmly, that a server without media has video calls turned off', async () => {
    const noMedia = await startTestServer({ MEDIA_ENABLED: 'false' });
    const { page, context, errors } = await newPage(browser);
    try {
      await openClass(page, noMedia, { sub: 'ola', role: 'student', cls: 'call4' });
      const note = await page.waitForSelector('[data-testid="media-unavailable"]', { timeout: 20_000 });
      expect(await note.textContent()).toBe('Video calls are turned off on this server.');
      // A setting, not a fault: no alert, and no "Check again" that could never change the answer.
      expect(await note.getAttribute('role')).toBeNull();
      expect(await page.getByRole('button', { name: 'Check again' }).count()).toBe(0);
      expect(await page.$('[data-testid="join-call"]')).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await noMedia.stop();
    }
  });
});
