// Signing in and staying in: a reload (F5) keeps the session for the tab while the token is valid (the
// token never comes back into the address bar), and once it has expired the page says so and how to get
// back in.
import { decodeJwt } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { clickIntoEditor, editorText, waitForEditor } from './helpers/classroom.ts';

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

describe('sign-in across reloads', () => {
  it('keeps the session on reload while the token is valid, then says it expired and what to do', async () => {
    const { page, context, errors } = await newPage(browser);
    const token = await server.token({ sub: 'rea', role: 'student', name: 'Rea Loader', ttlSeconds: 12 });
    const expiresAtMs = (decodeJwt(token).exp ?? 0) * 1000;
    await page.goto(`${server.httpUrl}/c/class1#token=${token}`);
    await waitForEditor(page);
    await clickIntoEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nbefore_reload = 1');
    await waitFor(
      async () => (await page.getAttribute('[data-testid="save-state"]', 'data-state')) === 'saved',
      {
        timeoutMs: 10_000,
      },
    );

    await page.reload();
    await waitForEditor(page);
    expect(await page.textContent('.user-chip')).toContain('Rea Loader');
    expect(await page.getByText('No sign-in token').count()).toBe(0);
    expect(page.url()).toBe(`${server.httpUrl}/c/class1`);
    await waitFor(async () => (await editorText(page)).includes('before_reload = 1'), { timeoutMs: 10_000 });

    await waitFor(() => Date.now() > expiresAtMs, { timeoutMs: 20_000, message: 'token expiry' });
    await page.reload();
    const said = page.locator('[data-testid="signin-expired"]');
    await said.waitFor({ timeout: 10_000 });
    expect(await page.textContent('h1')).toBe('Your sign-in has expired');
    expect(await said.textContent()).toMatch(/course page/);
    expect(page.url()).toBe(`${server.httpUrl}/c/class1`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a fresh link replaces what the tab kept', async () => {
    const { page, context } = await newPage(browser);
    const first = await server.token({ sub: 'ana', role: 'student', name: 'Ana First' });
    await page.goto(`${server.httpUrl}/c/class1#token=${first}`);
    await waitForEditor(page);
    const second = await server.token({ sub: 'ana', role: 'student', name: 'Ana Renamed' });
    await page.goto(`${server.httpUrl}/c/class1#token=${second}`);
    await waitForEditor(page);
    await page.reload();
    await waitForEditor(page);
    expect(await page.textContent('.user-chip')).toContain('Ana Renamed');
    await context.close();
  });
});
