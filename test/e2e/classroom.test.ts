// The classroom in real chromium, an instructor and a student in one class: chat (with hostile payloads
// rendered inert and the typing indicator), the chat at 1366x768 following new messages, deleting with a
// confirmation, raising a hand, locking code, "follow me", the people list (hands, where people are),
// notifications that skip the person who acted, and breakout rooms.
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

/** Sends a chat message through the REST API as `sub` (a student of class1). */
async function sendAs(sub: string, text: string): Promise<void> {
  const token = await server.token({ sub, role: 'student', name: `Student ${sub}` });
  const res = await fetch(`${server.httpUrl}/api/classes/class1/chat/main/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, replyTo: null }),
  });
  expect(res.status).toBe(201);
}

/** The chat list is scrolled to its newest message. */
const atNewest = (page: Page) =>
  page
    .locator('[data-testid="chat-list"]')
    .evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight <= 40);

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

  it('chat at 1366x768: the input is in view, the chat follows new messages, and counts them when scrolled up', async () => {
    await teacher.page.setViewportSize({ width: 1366, height: 768 });
    await tab(teacher.page, 'chat');
    for (let i = 0; i < 6; i++)
      for (const sub of ['s1', 's2', 's3'])
        await sendAs(sub, `filler ${i} from ${sub}: why does range(3) stop at 2?`);
    const list = teacher.page.locator('[data-testid="chat-list"]');
    await waitFor(() => list.getByText('filler 5 from s3').count(), { timeoutMs: 10_000 });
    await waitFor(() => atNewest(teacher.page), { timeoutMs: 5_000, message: 'follows new messages' });
    expect(await list.evaluate((el) => el.scrollHeight > el.clientHeight * 1.5)).toBe(true);
    const input = await teacher.page.locator('[data-testid="chat-input"]').boundingBox();
    expect(input && input.y > 0 && input.y + input.height <= 768).toBe(true);

    // Scrolled up to read: new messages do not move the list, a button counts them.
    // As a reader's scroll does, with its scroll event handled before anything else arrives (a scroll set from a
    // script is only reported at the next frame, which a loaded machine may draw after the messages below).
    await list.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await waitFor(async () => !(await atNewest(teacher.page)));
    await sendAs('s1', 'late one');
    await sendAs('s2', 'late two');
    const more = teacher.page.locator('[data-testid="chat-new-messages"]');
    await waitFor(async () => (await more.textContent())?.includes('2 new messages'), { timeoutMs: 10_000 });
    expect(await list.evaluate((el) => el.scrollTop)).toBeLessThan(40);
    await more.click();
    await waitFor(() => atNewest(teacher.page), { message: 'jumped to the newest' });
    expect(await more.count()).toBe(0);

    // Someone arriving now sees the newest messages first.
    const late = await newPage(browser);
    await late.page.setViewportSize({ width: 1366, height: 768 });
    await openClass(late.page, server, { sub: 'otto', role: 'observer', name: 'Otto Observer' });
    await waitForEditor(late.page);
    await waitFor(() => late.page.locator('[data-testid="chat-list"]').getByText('late two').count(), {
      timeoutMs: 10_000,
    });
    await waitFor(() => atNewest(late.page), { message: 'opens at the newest message' });
    expect(late.errors).toEqual([]);
    await late.context.close();
  });

  it('deleting a chat message asks first', async () => {
    await tab(student.page, 'chat');
    await student.page.locator('[data-testid="chat-input"]').fill('a message to take back');
    await student.page.locator('[data-testid="chat-send"]').click();
    const mine = student.page.locator('.chat-message', { hasText: 'a message to take back' });
    await mine.waitFor({ timeout: 10_000 });
    await mine.hover();
    await mine.locator('[data-testid="chat-delete"]').click();
    const confirm = mine.locator('[data-testid="chat-delete-confirm"]');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Delete your message for everyone?');
    await confirm.getByText('Cancel').click();
    expect(await confirm.count()).toBe(0);
    const teacherList = teacher.page.locator('[data-testid="chat-list"]');
    expect(await teacherList.getByText('a message to take back').count()).toBe(1);

    await mine.hover();
    await mine.locator('[data-testid="chat-delete"]').click();
    await mine.locator('[data-testid="chat-delete-yes"]').click();
    await waitFor(() => teacherList.getByText('Message from Linus Torvalds deleted').count(), {
      timeoutMs: 10_000,
    });
    expect(await teacherList.getByText('a message to take back').count()).toBe(0);
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

  it('at 1024 px the staff tabs scroll on their own: choosing the last one does not shift the sidebar', async () => {
    await teacher.page.setViewportSize({ width: 1024, height: 700 });
    try {
      await tab(teacher.page, 'class');
      await teacher.page.locator('[data-testid="staff-controls"]').waitFor();
      const sidebar = await teacher.page.locator('.sidebar').evaluate((el) => ({
        scrollLeft: el.scrollLeft,
        overflow: el.scrollWidth - el.clientWidth,
      }));
      // Before, the tab strip was wider than the 250 px sidebar, and the browser scrolled the whole sidebar
      // sideways to show the chosen tab: every control in it lost its left edge.
      expect(sidebar).toEqual({ scrollLeft: 0, overflow: 0 });
      // Nor is anything in the staff tab wider than the sidebar (the attendance table scrolls on its own).
      await teacher.page.locator('[data-testid="attendance"] table').waitFor();
      const staffTab = panel(teacher.page).locator('.classroom-staff');
      expect(await staffTab.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
      // A number field keeps its own small width while text fields take the row's room.
      const groups = await teacher.page
        .locator('[data-testid="breakouts"] input[type="number"]')
        .boundingBox();
      expect(groups!.width).toBeLessThan(80);
      const strip = await panel(teacher.page).locator('[role="tablist"]').boundingBox();
      const chosen = await panel(teacher.page).locator('[data-tab="class"]').boundingBox();
      expect(chosen!.x + chosen!.width).toBeLessThanOrEqual(strip!.x + strip!.width + 1);
    } finally {
      await teacher.page.setViewportSize({ width: 1280, height: 800 });
    }
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

  it('the people list shows a raised hand and where each person is; notices skip the one who acted', async () => {
    await tab(teacher.page, 'class');
    await teacher.page.locator('[data-testid="announcement-input"]').fill('Break until 10:15');
    await teacher.page.getByText('Announce', { exact: true }).click();
    await waitFor(() => student.page.getByText('Announcement from Ada Lovelace').count(), {
      timeoutMs: 10_000,
    });
    // Toasts stay clear of the sidebar: its tabs (at the very top with media off) remain clickable.
    const toasts = await student.page.locator('[data-testid="toasts"]').boundingBox();
    const tabs = await panel(student.page).locator('[role="tablist"]').boundingBox();
    expect(toasts!.x + toasts!.width).toBeLessThanOrEqual(tabs!.x);

    await tab(teacher.page, 'people');
    const row = teacher.page.locator('[data-testid="people-list"] [data-user-id="linus"]');
    await tab(student.page, 'hands');
    await student.page.locator('[data-testid="raise-hand"]').click();
    await waitFor(() => row.locator('[data-testid="person-hand"]').count(), { timeoutMs: 10_000 });
    expect(await row.locator('[data-testid="person-hand"]').getAttribute('title')).toBe(
      'Hand raised (1st in the queue)',
    );
    // The hand's notice came after the announcement's on the same connection: the instructor was not
    // told about their own announcement.
    expect(await teacher.page.getByText('Announcement from Ada Lovelace').count()).toBe(0);

    const where = row.locator('[data-testid="person-where"]');
    await student.page.click('[data-tab="board"]');
    await waitFor(async () => (await where.textContent()) === 'Whiteboard', { timeoutMs: 10_000 });
    await student.page.click('[data-tab="code"]');
    await waitFor(async () => /\.py$/.test((await where.textContent()) ?? ''), { timeoutMs: 10_000 });

    await student.page.locator('[data-testid="raise-hand"]').click();
    await waitFor(async () => (await row.locator('[data-testid="person-hand"]').count()) === 0, {
      timeoutMs: 10_000,
    });
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
