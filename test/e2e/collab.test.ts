// Two people in one class edit the same file in real chromium: edits converge, each sees the other's named
// cursor, and an observer's editor is read-only.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { clickIntoEditor, editorText, openClass, waitForEditor } from './helpers/classroom.ts';

const LINUS = 'Linus <img src=x onerror="window.pwned=1">';
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startTestServer({ DEV_TOKENS: '1' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('shared code editor', () => {
  it('converges when two people type into the same file, and each sees the other’s named cursor', async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await openClass(a.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace' });
    await waitForEditor(a.page);
    // A hostile display name must show as text everywhere, never run.
    await openClass(b.page, server, { sub: 'linus', role: 'student', name: LINUS });
    await waitForEditor(b.page);
    // The token left the address bar.
    expect(b.page.url()).not.toContain('token=');

    await clickIntoEditor(a.page);
    await a.page.keyboard.press('Control+End');
    await a.page.keyboard.type('\nada_line = 1');
    await clickIntoEditor(b.page);
    await b.page.keyboard.press('Control+End');
    await b.page.keyboard.type('\nlinus_line = 2');

    const [textA, textB] = await waitFor(
      async () => {
        const texts = [await editorText(a.page), await editorText(b.page)] as const;
        return (
          texts[0] === texts[1] &&
          texts[0].includes('ada_line = 1') &&
          texts[0].includes('linus_line = 2') &&
          texts
        );
      },
      { timeoutMs: 15_000, message: 'editors did not converge' },
    );
    expect(textA).toBe(textB);

    await waitFor(() => a.page.locator('.tandem-remote-label', { hasText: LINUS }).count(), {
      timeoutMs: 10_000,
    });
    await waitFor(() => b.page.locator('.tandem-remote-label', { hasText: 'Ada Lovelace' }).count(), {
      timeoutMs: 10_000,
    });
    // A name never covers code: it sits after the end of its line, and fades (never shrinks) at rest.
    const labelClear = await b.page.evaluate(() => {
      const label = document.querySelector('.tandem-remote-label')?.getBoundingClientRect();
      if (!label) return false;
      return [...document.querySelectorAll('[data-testid="code-editor"] .view-line span span')].every(
        (span) => {
          const r = span.getBoundingClientRect();
          const overlaps =
            r.left < label.right && label.left < r.right && r.top < label.bottom && label.top < r.bottom;
          return !overlaps || !span.textContent?.trim();
        },
      );
    });
    expect(labelClear).toBe(true);
    const label = b.page.locator('.tandem-remote-label', { hasText: 'Ada Lovelace' });
    await waitFor(async () => (await label.getAttribute('class'))?.includes('resting'), {
      timeoutMs: 10_000,
    });
    expect(await label.evaluate((el) => getComputedStyle(el).fontSize)).toBe('11px');
    await waitFor(async () => (await label.evaluate((el) => getComputedStyle(el).opacity)) === '0', {
      timeoutMs: 5_000,
      message: 'faded out',
    });
    // The people list shows both, with roles.
    await waitFor(() => a.page.locator('[data-testid="people-list"] [data-user-id="linus"]').count(), {
      timeoutMs: 10_000,
    });
    await waitFor(
      async () => (await a.page.getAttribute('[data-testid="save-state"]', 'data-state')) === 'saved',
      { timeoutMs: 10_000 },
    );
    expect(await a.page.textContent('[data-user-id="linus"] .name')).toBe(LINUS);
    expect(await a.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('gives a pair its own code document at /c/<class>/pair/<key>', async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await openClass(a.page, server, { sub: 'ada', role: 'student', name: 'Ada' }, '/c/class1/pair/team-7');
    await waitForEditor(a.page);
    await openClass(b.page, server, { sub: 'bea', role: 'student', name: 'Bea' }, '/c/class1/pair/team-7');
    await waitForEditor(b.page);
    expect(await a.page.locator('[data-tab="board"]').count()).toBe(0);
    await clickIntoEditor(a.page);
    await a.page.keyboard.press('Control+End');
    await a.page.keyboard.type('\npair_only = 7');
    await waitFor(async () => (await editorText(b.page)).includes('pair_only = 7'), { timeoutMs: 10_000 });
    await b.page.goto('about:blank');
    await openClass(b.page, server, { sub: 'bea', role: 'student', name: 'Bea' });
    await waitForEditor(b.page);
    expect(await editorText(b.page)).not.toContain('pair_only');
    await a.context.close();
    await b.context.close();
  });

  it('keeps an observer read-only: typing changes nothing, locally or for others', async () => {
    const writer = await newPage(browser);
    const observer = await newPage(browser);
    await openClass(writer.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace' });
    await waitForEditor(writer.page);
    await openClass(observer.page, server, { sub: 'otto', role: 'observer', name: 'Otto Observer' });
    await waitForEditor(observer.page);
    await observer.page.waitForSelector('[data-testid="readonly-banner"]', { timeout: 10_000 });
    const before = await editorText(observer.page);

    await clickIntoEditor(observer.page);
    await observer.page.keyboard.type('observer_was_here');
    // The writer's edit still arrives, so the observer's editor is live, just not writable.
    await clickIntoEditor(writer.page);
    await writer.page.keyboard.press('Control+End');
    await writer.page.keyboard.type('\nafter_observer = 3');
    await waitFor(async () => (await editorText(observer.page)).includes('after_observer = 3'), {
      timeoutMs: 10_000,
    });

    expect(await editorText(observer.page)).not.toContain('observer_was_here');
    expect(await editorText(writer.page)).not.toContain('observer_was_here');
    expect(before).not.toContain('observer_was_here');
    await writer.context.close();
    await observer.context.close();
  });

  it('lets the instructor lead: "everyone follows me" takes students to the instructor’s file until they stop', async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await openClass(a.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace', cls: 'follow1' });
    await waitForEditor(a.page);
    await openClass(b.page, server, { sub: 'bea', role: 'student', name: 'Bea Student', cls: 'follow1' });
    await waitForEditor(b.page);
    const current = (page: typeof a.page) => page.textContent('.file.current .file-name');

    await a.page.click('button[aria-label="New file"]');
    // The field opens on "untitled.py" with "untitled" selected: typing a name keeps the extension.
    await a.page.keyboard.type('second');
    await a.page.keyboard.press('Enter');
    await waitFor(async () => (await current(a.page)) === 'second.py', {
      timeoutMs: 5_000,
      message: 'A opened it',
    });
    expect(await current(b.page)).toBe('main.py');

    await a.page.check('[data-testid="follow-me"]');
    await waitFor(async () => (await current(b.page)) === 'second.py', {
      timeoutMs: 10_000,
      message: 'B follows',
    });
    expect(await b.page.textContent('[data-testid="follow-bar"]')).toContain('Following Ada Lovelace');

    await b.page.click('[data-testid="follow-bar"] button');
    await a.page.click('[data-testid="file-entry"]:has-text("main.py")');
    // Once B sees Ada in main.py (the file list shows where people are), B has stayed where it was.
    await waitFor(() => b.page.locator('.file:has-text("main.py") .avatar[title="Ada Lovelace"]').count(), {
      timeoutMs: 10_000,
      message: 'B sees Ada move',
    });
    expect(await current(b.page)).toBe('second.py');
    await a.context.close();
    await b.context.close();
  });

  it('opens the demo class from /demo with a dev token', async () => {
    const { page, context, errors } = await newPage(browser);
    await page.goto(`${server.httpUrl}/demo`);
    await page.fill('input', 'Grace Demo');
    await page.click('text=Join as student');
    await page.waitForURL(/\/c\/demo$/, { timeout: 10_000 });
    await waitForEditor(page);
    expect(await page.textContent('.user-chip')).toContain('Grace Demo');
    expect(page.url()).not.toContain('token');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says clearly when the token is expired or for another class', async () => {
    const { page, context } = await newPage(browser);
    const expired = await server.token({ sub: 'late', role: 'student', ttlSeconds: -60 });
    await page.goto(`${server.httpUrl}/c/class1#token=${expired}`);
    const banner = page.locator('[data-testid="refused"]');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.getAttribute('data-reason')).toBe('expired');
    expect(await banner.textContent()).toMatch(/session has expired/i);
    expect(await page.getAttribute('[data-testid="connection"]', 'data-status')).toBe('refused');

    const otherClass = await server.token({ sub: 'late', role: 'student', cls: 'another-class' });
    await page.goto('about:blank');
    await page.goto(`${server.httpUrl}/c/class1#token=${otherClass}`);
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.getAttribute('data-reason')).toBe('forbidden');
    await context.close();
  });
});
