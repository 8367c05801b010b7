// Losing the server: the page says it is offline, keeps typing locally, reconnects by itself (backoff with
// jitter) when the server is back on the same address, and the offline edits reach everyone. Losing the
// network: "Offline" within a couple of seconds, not after the socket's timeout.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { clickIntoEditor, editorText, openClass, waitForEditor } from './helpers/classroom.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const status = (page: import('playwright-core').Page) =>
  page.getAttribute('[data-testid="connection"]', 'data-status');
const saveState = (page: import('playwright-core').Page) =>
  page.getAttribute('[data-testid="save-state"]', 'data-state');

describe('connection loss', () => {
  it('says "Offline" within a couple of seconds of the network going, and "Connected" when it is back', async () => {
    const { page, context, errors } = await newPage(browser);
    await openClass(page, server, { sub: 'ola', role: 'student', name: 'Ola' });
    await waitForEditor(page);
    await waitFor(async () => (await status(page)) === 'online', { timeoutMs: 10_000 });

    await context.setOffline(true);
    const wentAt = Date.now();
    await waitFor(async () => (await status(page)) === 'offline', {
      timeoutMs: 5_000,
      message: 'offline shown',
    });
    expect(Date.now() - wentAt).toBeLessThan(2_500);
    expect(await page.textContent('[data-testid="connection"]')).toBe('Offline');
    expect(await page.textContent('[data-testid="save-state"]')).not.toMatch(/saving/i);

    await context.setOffline(false);
    await waitFor(async () => (await status(page)) === 'online', {
      timeoutMs: 30_000,
      message: 'back online',
    });
    expect(await page.textContent('[data-testid="connection"]')).toBe('Connected');
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(e))).toEqual([]);
    await context.close();
  });

  it('keeps edits made while the server is down and merges them when it is back', async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await openClass(a.page, server, { sub: 'ada', role: 'instructor', name: 'Ada' });
    await waitForEditor(a.page);
    await openClass(b.page, server, { sub: 'bea', role: 'student', name: 'Bea' });
    await waitForEditor(b.page);

    const { port } = server.url;
    const dataDir = server.dataDir;
    await server.stop();
    await waitFor(async () => (await status(a.page)) !== 'online', {
      timeoutMs: 15_000,
      message: 'A notices',
    });

    await clickIntoEditor(a.page);
    await a.page.keyboard.press('Control+End');
    await a.page.keyboard.type('\noffline_edit = True');
    // An hour offline is thousands of keystrokes: more than the flood limit's burst (500) of messages if each
    // went on its own when the socket is back.
    await a.page.keyboard.type(`\n# ${'long offline note '.repeat(36)}`);
    await waitFor(async () => (await saveState(a.page)) === 'offline', {
      timeoutMs: 10_000,
      message: 'offline shown',
    });
    expect(await a.page.textContent('[data-testid="save-state"]')).toMatch(/kept on this device/);

    server = await startTestServer({ PORT: port }, { dataDir });
    await waitFor(async () => (await status(a.page)) === 'online', {
      timeoutMs: 30_000,
      message: 'A reconnects',
    });
    await waitFor(async () => (await editorText(b.page)).includes('offline_edit = True'), {
      timeoutMs: 30_000,
      message: 'B gets it',
    });
    await waitFor(async () => (await saveState(a.page)) === 'saved', {
      timeoutMs: 10_000,
      message: 'A saved',
    });
    expect(await editorText(b.page)).toContain('long offline note '.repeat(36).trimEnd());
    // The offline keystrokes went in a few merged messages: the socket was never closed for flooding.
    const errors = await server.tandem.ctx.metrics.errors.get();
    expect(errors.values.filter((v) => v.labels.code === 'rate_limited')).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
