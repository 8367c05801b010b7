// Many people press Join at the same instant (a class starting), each on a network of its own latency:
// every one of them must end up watching every other camera, decoded and still moving. Different
// latencies put one person's camera going live while another is still between its join reply and its
// receive transport, the window in which a camera used to be dropped. Repeated over several classes.
import fs from 'node:fs';
import * as mediasoup from 'mediasoup';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { type LatencyProxy, startLatencyProxy } from './helpers/latencyProxy.ts';

/** One-way signaling latency of each person in a class (a class of PEERS people, from 5 ms to 300 ms). */
const LATENCIES_MS = [5, 20, 60, 120, 180, 300];
const PEERS = LATENCIES_MS.length;
/** Classes joined one after another; the race showed in some joins and not others. */
const ROUNDS = 3;

const workerBuilt = fs.existsSync(mediasoup.workerBin);
let server: TestServer;
let browser: Browser;
let proxies: LatencyProxy[] = [];

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
  proxies = await Promise.all(LATENCIES_MS.map((ms) => startLatencyProxy(server.url, ms)));
  browser = await launchBrowser({ media: true });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(proxies.map((p) => p.close()));
  await server?.stop();
});

interface Person {
  userId: string;
  page: Page;
  context: BrowserContext;
  errors: string[];
}

/** Opens the video-only embed as `userId` through `proxy`, camera previewing, ready to press Join. */
async function readyToJoin(cls: string, userId: string, proxy: LatencyProxy): Promise<Person> {
  const { page, context, errors } = await newPage(browser, { media: true });
  const token = await server.token({ sub: userId, role: 'student', cls, name: userId });
  await page.goto(`${proxy.origin}/embed/${cls}?view=video#token=${token}`);
  await page.click('[data-testid="preview-cam"]', { timeout: 20_000 });
  await page.waitForSelector('[data-testid="preview-cam"][aria-pressed="true"]', { timeout: 20_000 });
  return { userId, page, context, errors };
}

type Seen = Record<string, { width: number; frames: number }>;

/** What `page` shows of each other person's camera: decoded width and frames decoded so far. */
function seenBy(page: Page, others: string[]): Promise<Seen> {
  return page.evaluate((ids) => {
    const seen: Record<string, { width: number; frames: number }> = {};
    for (const id of ids) {
      const video = document.querySelector<HTMLVideoElement>(
        `[data-testid="remote-tile"][data-peer="${id}"] video`,
      );
      seen[id] = {
        width: video?.videoWidth ?? 0,
        frames: video?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
      };
    }
    return seen;
  }, others);
}

function missing(seen: Seen, test: (s: Seen[string], id: string) => boolean): string[] {
  return Object.entries(seen)
    .filter(([id, s]) => !test(s, id))
    .map(([id]) => id);
}

/** Waits until `viewer` decodes every other camera, then until each of them has moved on by new frames. */
async function expectAllCamerasFlowing(viewer: Person, others: string[]): Promise<void> {
  let last: Seen = {};
  const first = await waitFor(
    async () => {
      last = await seenBy(viewer.page, others);
      return missing(last, (s) => s.width > 0).length === 0 && last;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  ).catch(() => {
    throw new Error(
      `${viewer.userId} never decoded video from ${missing(last, (s) => s.width > 0).join(', ')}`,
    );
  });
  await waitFor(
    async () => {
      last = await seenBy(viewer.page, others);
      return missing(last, (s, id) => s.frames > (first[id]?.frames ?? 0)).length === 0;
    },
    { timeoutMs: 15_000, intervalMs: 250 },
  ).catch(() => {
    const stalled = missing(last, (s, id) => s.frames > (first[id]?.frames ?? 0));
    throw new Error(`${viewer.userId}: video from ${stalled.join(', ')} stopped after the first frame`);
  });
}

describe('a class joining the call at once', () => {
  it(`gives each of ${PEERS} people who press Join together every other camera, ${ROUNDS} classes in a row`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const cls = `crowd${round}`;
      const userIds = Array.from({ length: PEERS }, (_, i) => `p${round}-${i + 1}`);
      const people = await Promise.all(userIds.map((id, i) => readyToJoin(cls, id, proxies[i]!)));
      try {
        // All Join clicks go out together, so joins, transports and produces interleave on the server.
        await Promise.all(people.map((p) => p.page.click('[data-testid="join-call"]')));
        await Promise.all(
          people.map((p) => p.page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 30_000 })),
        );
        for (const viewer of people) {
          await expectAllCamerasFlowing(
            viewer,
            userIds.filter((id) => id !== viewer.userId),
          );
        }
        for (const p of people) expect(p.errors, `console errors of ${p.userId}`).toEqual([]);
      } finally {
        await Promise.all(people.map((p) => p.context.close()));
      }
    }
  }, 300_000);
});
