// The embed inside a course page on another origin: it gets its token by postMessage, reports `ready` and
// `joined`, obeys commands, runs code (its runner frame nested inside), and cannot be framed by an origin that is
// not in EMBED_ORIGINS.
import type { EmbedEvent } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { type HostServer, startHostServer } from './helpers/hostServer.ts';

let server: TestServer;
let browser: Browser;
let allowedHost: HostServer;
let otherHost: HostServer;

beforeAll(async () => {
  await ensureClientBuilt();
  allowedHost = await startHostServer();
  otherHost = await startHostServer();
  server = await startTestServer({ EMBED_ORIGINS: allowedHost.origin });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await allowedHost?.close();
  await otherHost?.close();
});

const hostEvents = (page: Page) =>
  page.evaluate(() => (window as unknown as { tandemEvents: EmbedEvent[] }).tandemEvents);

async function openHost(page: Page, host: HostServer, view: string, ttlSeconds?: number): Promise<void> {
  const token = await server.token({
    sub: 'lin',
    role: 'student',
    name: 'Lin Embedded',
    ...(ttlSeconds ? { ttlSeconds } : {}),
  });
  const fragment = new URLSearchParams({ tandem: server.httpUrl, class: 'class1', view, token });
  await page.goto(`${host.origin}/embed-host.html#${fragment}`);
}

describe('embedding in a course page', () => {
  it('gets its token by postMessage from a host on another origin and reports ready and joined', async () => {
    const { page, context, errors } = await newPage(browser);
    await openHost(page, allowedHost, 'editor');
    const events = await waitFor(
      async () => {
        const list = await hostEvents(page);
        return list.some((e) => e.type === 'joined') && list;
      },
      { timeoutMs: 20_000, message: 'embed joined' },
    );
    const ready = events.find((e) => e.type === 'ready');
    expect(ready).toMatchObject({ tandem: 1, type: 'ready', view: 'editor', needsToken: true });
    expect(events.find((e) => e.type === 'joined')).toMatchObject({
      classId: 'class1',
      user: { id: 'lin', name: 'Lin Embedded', role: 'student' },
      scope: 'read-write',
    });
    const frame = page.frames().find((f) => f.url().startsWith(`${server.httpUrl}/embed/`));
    if (!frame) throw new Error('embed frame missing');
    // The token never travelled in the iframe's URL.
    expect(frame.url()).not.toContain('token');
    await frame.waitForSelector('[data-testid="code-editor"] .view-lines', { timeout: 15_000 });

    // Commands: setTheme switches the embed's theme; an unknown file is reported back as an error.
    await page.evaluate(() => {
      const host = (window as unknown as { tandemHost: { send(c: object): void } }).tandemHost;
      host.send({ type: 'setTheme', theme: 'dark' });
      host.send({ type: 'openFile', name: 'nope.py', id: 'cmd-1' });
    });
    await waitFor(
      async () => (await frame.evaluate(() => document.documentElement.dataset.theme)) === 'dark',
      { timeoutMs: 5_000 },
    );
    await waitFor(
      async () =>
        (await hostEvents(page)).some(
          (e) => e.type === 'error' && e.code === 'not_found' && e.commandId === 'cmd-1',
        ),
      { timeoutMs: 5_000, message: 'openFile error reported' },
    );
    await waitFor(
      async () =>
        (await hostEvents(page)).some((e) => e.type === 'presence' && e.people.some((p) => p.id === 'lin')),
      {
        timeoutMs: 5_000,
        message: 'presence reported',
      },
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reports an expired token as an error and recovers when the host sends a fresh one', async () => {
    const { page, context, errors } = await newPage(browser);
    await openHost(page, allowedHost, 'editor', -60);
    await waitFor(
      async () => (await hostEvents(page)).some((e) => e.type === 'error' && e.code === 'token_expired'),
      {
        timeoutMs: 15_000,
        message: 'token_expired reported',
      },
    );
    expect((await hostEvents(page)).some((e) => e.type === 'joined')).toBe(false);
    const fresh = await server.token({ sub: 'lin', role: 'student', name: 'Lin Embedded' });
    await page.evaluate((token) => {
      (window as unknown as { tandemHost: { send(c: object): void } }).tandemHost.send({
        type: 'setToken',
        token,
      });
    }, fresh);
    await waitFor(async () => (await hostEvents(page)).some((e) => e.type === 'joined'), {
      timeoutMs: 15_000,
      message: 'joined after refresh',
    });
    const frame = page.frames().find((f) => f.url().startsWith(`${server.httpUrl}/embed/`));
    await frame?.waitForSelector('[data-testid="refused"]', { state: 'detached', timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses to be framed by an origin that is not in EMBED_ORIGINS', async () => {
    const { page, context } = await newPage(browser);
    const response = await page.request.get(`${server.httpUrl}/embed/class1`);
    expect(response.headers()['content-security-policy']).toContain(
      `frame-ancestors 'self' ${allowedHost.origin}`,
    );
    const appPage = await page.request.get(`${server.httpUrl}/c/class1`);
    expect(appPage.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(appPage.headers()['x-frame-options']).toBe('DENY');

    await openHost(page, otherHost, 'editor');
    // Chromium replaces a frame blocked by frame-ancestors with an error page; the embed never runs.
    await waitFor(() => page.frames().some((f) => f.url().startsWith('chrome-error://')), {
      timeoutMs: 10_000,
      message: 'frame blocked',
    });
    expect(await hostEvents(page)).toEqual([]);
    await context.close();
  });

  it('runs code inside the embed: the runner frame nests under the embed on the allowed host', async () => {
    const { page, errors } = await newPage(browser);
    await openHost(page, allowedHost, 'editor');
    const frame = await waitFor(
      () => page.frames().find((f) => f.url().startsWith(`${server.httpUrl}/embed/`)) ?? null,
      { timeoutMs: 20_000, message: 'embed frame' },
    );
    // The first writer of the empty class document gets the starter file, main.py.
    const run = frame!.locator('[data-testid="run-button"]', { hasText: 'main.py' });
    await run.waitFor({ timeout: 20_000 });
    await run.click();
    await frame!.locator('[data-testid="run-panel"][data-phase="ended"]').waitFor({ timeout: 60_000 });
    expect(await frame!.locator('[data-testid="run-panel"]').getAttribute('data-outcome')).toBe('ok');
    expect(await frame!.locator('[data-testid="run-output"]').textContent()).toContain('hello');
    expect(errors.filter((e) => /Content Security Policy|frame-ancestors|Refused/i.test(e))).toEqual([]);
  }, 120_000);
});
