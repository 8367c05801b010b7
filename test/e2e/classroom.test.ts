// The classroom in real chromium, an instructor and a student in one class: chat (with hostile payloads
// rendered inert and the typing indicator), raising a hand, locking code, "follow me", and breakout rooms.
import { createCodeFile } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { clickIntoEditor, editorText, openClass, waitForEditor } from './helpers/classroom.ts';

let server: TestServer;
let browser: Browser;
let teacher: Awaited<ReturnType<typeof newPage>>;
let student: Awaited<ReturnType<typeof newPage>>;

const panel = (page: Page) => page.locator('[data-testid="classroom-panel"]');
const tab = (page: Page, id: string) => panel(page).locator(`[data-tab="${id}"]`).click();

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startTestServer();
  // Two files, so following the instructor visibly changes the student's file.
  const seed = connectCollab(
    server,
    'class1/code/main',
    await server.token({ sub: 'seed', role: 'instructor' }),
  );
  await seed.synced();
  createCodeFile(seed.doc, { id: 'main', name: 'main.py', content: 'print("main")\n', createdBy: 'seed' });
  createCodeFile(seed.doc, {
    id: 'second',
    name: 'second.py',
    content: 'print("second")\n',
    createdBy: 'seed',
  });
  await seed.saved();
  seed.destroy();

  browser = await launchBrowser();
  teacher = await newPage(browser);
  student = await newPage(browser);
  // Any script a payload managed to run would set this flag.
  for (const p of [teacher, student]) await p.page.addInitScript(() => Object.assign(window, { __xss: 0 }));
  await openClass(teacher.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace' });
  await openClass(student.page, server, { sub: 'linus', role: 'student', name: 'Linus Torvalds' });
  await waitForEditor(teacher.page);
  await waitForEditor(student.page);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('classroom in the browser', () => {
  it('chat: messages arrive live, hostile payloads stay text, code is highlighted, typing shows', async () => {
    const input = student.page.locator('[data-testid="chat-input"]');
    await input.fill('hello @ada');
    await waitFor(() => teacher.page.getByText('Linus Torvalds is typing').count(), { timeoutMs: 10_000 });
    await input.press('Enter');
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '[click](javascript:window.__xss=2) javascript:window.__xss=3',
      '```python\n</code><script>window.__xss=4</script>\ndef f(): return 1\n```',
    ];
    for (const text of payloads) {
      await input.fill(text);
      await student.page.locator('[data-testid="chat-send"]').click();
      await waitFor(async () => (await input.inputValue()) === '', { timeoutMs: 10_000 });
    }
    const list = teacher.page.locator('[data-testid="chat-list"]');
    await waitFor(() => list.getByText('window.__xss=1').count(), { timeoutMs: 10_000 });
    await waitFor(() => list.locator('.chat-code .hljs-keyword').count(), { timeoutMs: 10_000 });
    expect(await list.locator('.chat-mention.me').first().textContent()).toBe('@Ada Lovelace');
    for (const p of [teacher.page, student.page]) {
      const chat = p.locator('[data-testid="chat-list"]');
      expect(await chat.locator('img, script, iframe, svg').count()).toBe(0);
      expect(await chat.locator('a[href^="javascript"]').count()).toBe(0);
      expect(await p.evaluate(() => (window as unknown as { __xss: number }).__xss)).toBe(0);
    }
    await waitFor(async () => (await teacher.page.getByText('is typing').count()) === 0, {
      timeoutMs: 10_000,
    });
  });

  it('raising a hand: the instructor starts the class, sees the queue and lowers the hand', async () => {
    await tab(teacher.page, 'class');
    await teacher.page.locator('[data-testid="start-session"]').click();
    await tab(student.page, 'hands');
    const raise = student.page.locator('[data-testid="raise-hand"]');
    await waitFor(async () => !(await raise.isDisabled()), { timeoutMs: 10_000 });
    await raise.click();
    await waitFor(async () => (await raise.textContent()) === 'Lower hand', { timeoutMs: 10_000 });
    await tab(teacher.page, 'hands');
    const queue = teacher.page.locator('[data-testid="hand-queue"] [data-user-id="linus"]');
    await waitFor(() => queue.count(), { timeoutMs: 10_000 });
    await queue.getByText('Lower').click();
    await waitFor(async () => (await raise.textContent())?.includes('Raise hand'), { timeoutMs: 10_000 });
    await waitFor(() => student.page.getByText('Ada Lovelace lowered your hand.').count(), {
      timeoutMs: 10_000,
    });
  });

  it('locking code makes the student read-only at once, and unlocking gives editing back', async () => {
    await tab(teacher.page, 'class');
    const lock = teacher.page.locator('[data-testid="lock-code"]');
    await lock.click();
    await waitFor(() => student.page.locator('[data-testid="readonly-banner"]').count(), {
      timeoutMs: 10_000,
    });
    const before = await editorText(student.page);
    await clickIntoEditor(student.page);
    await student.page.keyboard.type('locked_typing');
    expect(await editorText(student.page)).toBe(before);

    await lock.click();
    await waitFor(async () => (await student.page.locator('[data-testid="readonly-banner"]').count()) === 0, {
      timeoutMs: 10_000,
    });
    await clickIntoEditor(student.page);
    await student.page.keyboard.press('Control+End');
    await student.page.keyboard.type('\nunlocked = 1');
    await waitFor(async () => (await editorText(teacher.page)).includes('unlocked = 1'), {
      timeoutMs: 10_000,
    });
  });

  it('"follow me" takes the student to the instructor’s file', async () => {
    await teacher.page.locator('[data-testid="file-entry"]', { hasText: 'second.py' }).click();
    await waitFor(async () => (await editorText(teacher.page)).includes('print("second")'), {
      timeoutMs: 10_000,
    });
    expect(await editorText(student.page)).not.toContain('print("second")');
    await teacher.page.locator('[data-testid="follow-me"]').check();
    await waitFor(async () => (await editorText(student.page)).includes('print("second")'), {
      timeoutMs: 10_000,
    });
    await waitFor(() => student.page.getByText('Following Ada Lovelace').count(), { timeoutMs: 10_000 });
  });

  it('breakout rooms: the student is taken to a group with a copy of the code, and back when they close', async () => {
    await tab(teacher.page, 'class');
    await teacher.page.locator('[data-testid="open-breakouts"]').click();
    await waitFor(() => student.page.url().includes('/c/class1--r'), { timeoutMs: 15_000 });
    await waitFor(() => student.page.locator('[data-testid="breakout-bar"]').count(), { timeoutMs: 15_000 });
    await waitForEditor(student.page);
    await waitFor(async () => (await editorText(student.page)).includes('unlocked = 1'), {
      timeoutMs: 10_000,
    });

    await teacher.page.locator('[data-testid="close-breakouts"]').click();
    await waitFor(() => /\/c\/class1$/.test(student.page.url()), { timeoutMs: 15_000 });
    await waitForEditor(student.page);
    expect(teacher.errors).toEqual([]);
    expect(student.errors).toEqual([]);
  });
});
