// A refused update in the browser (issue #10): offline edits the server will not take (here: those past the
// document size limit) are kept aside under "Recovered edits", the person is told, and the document is
// reloaded from the server. No loop: the refused offline copy is not resent on reconnect or after a page reload.
import { listCodeFiles } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
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

const status = (page: Page) => page.getAttribute('[data-testid="connection"]', 'data-status');
const saveState = (page: Page) => page.getAttribute('[data-testid="save-state"]', 'data-state');
const serverText = () =>
  server.tandem.ctx.collab.read('class1/code/main', (doc) => listCodeFiles(doc)[0]?.text.toString() ?? '');
const refusals = async () => {
  const metric = await server.tandem.ctx.metrics.updatesRefused.get();
  return metric.values.reduce((n, v) => n + v.value, 0);
};

describe('a refused update', () => {
  it('is kept aside and shown, the document is reloaded from the server, and nothing is resent', async () => {
    const ada = await newPage(browser);
    const user = { sub: 'ada', role: 'instructor' as const, name: 'Ada' };
    await openClass(ada.page, server, user);
    await waitForEditor(ada.page);

    const { port } = server.url;
    const dataDir = server.dataDir;
    await server.stop();
    await waitFor(async () => (await status(ada.page)) !== 'online', { timeoutMs: 15_000 });
    await clickIntoEditor(ada.page);
    await ada.page.keyboard.press('Control+End');
    const offline = `offline_${'x'.repeat(400)}`;
    await ada.page.keyboard.type(offline);
    await waitFor(async () => (await saveState(ada.page)) === 'offline', { timeoutMs: 10_000 });

    // Back with a limit the offline edits exceed: the sync step 2 that carries them is refused.
    server = await startTestServer({ PORT: port, MAX_DOCUMENT_BYTES: '300' }, { dataDir });
    const notice = ada.page.locator('[data-testid="recovered-edits"] [data-code="document_too_large"]');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toMatch(/size limit/);
    expect(await notice.locator('pre').textContent()).toContain(offline);
    await waitFor(async () => (await saveState(ada.page)) === 'saved', {
      timeoutMs: 15_000,
      message: 'resynced',
    });
    // Keystrokes travel as separate updates: the ones within the limit were accepted, the rest were not.
    expect(await editorText(ada.page)).toBe(await serverText());
    expect(await editorText(ada.page)).not.toContain(offline);
    await ada.page.screenshot({ path: '/tmp/tandem-update-refused.png' });
    expect(await refusals()).toBe(1);

    // Opening the page again reads the document from IndexedDB and reconnects: the refused copy must be gone from both.
    await openClass(ada.page, server, user);
    await waitForEditor(ada.page);
    await waitFor(async () => (await saveState(ada.page)) === 'saved', { timeoutMs: 15_000 });
    expect(await editorText(ada.page)).toBe(await serverText());
    await ada.page.locator('[data-testid="recovered-edits"] pre').first().waitFor({ state: 'attached' });
    expect(await refusals()).toBe(1);

    // And the person can go on: a small edit is accepted.
    await clickIntoEditor(ada.page);
    await ada.page.keyboard.type('ok');
    await waitFor(async () => (await saveState(ada.page)) === 'saved', { timeoutMs: 15_000 });
    expect(await refusals()).toBe(1);
    await ada.context.close();
  }, 120_000);
});
