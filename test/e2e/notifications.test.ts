// Notifications in real chromium: a student whose page is offline, or closed, while the instructor announces
// and @mentions them finds both on return (the bell's unread count, the inbox), marks them read (one opens
// the chat at its message, or all at once, kept over a reload); a page in the background shows a browser
// notification, asked for once from a click; and an embed in a course page on another origin posts a
// `notification` event to its host and shows it in the page, and tells the host its unread count (on its
// first inbox load, and when it changes, reads in the embed included).
import type { EmbedEvent } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { openClass, waitForEditor } from './helpers/classroom.ts';
import { type HostServer, startHostServer } from './helpers/hostServer.ts';

const API_KEY = 'platform-key-0123456789abcdef';
let server: TestServer;
let browser: Browser;
let host: HostServer;

beforeAll(async () => {
  await ensureClientBuilt();
  host = await startHostServer();
  server = await startTestServer({ API_KEYS: API_KEY, EMBED_ORIGINS: host.origin });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await host?.close();
});

async function rest(bearer: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json() as Promise<Record<string, unknown>>;
}

/** A class with a roster: its students get notifications also while no page of theirs is open. */
async function classWith(classId: string, students: string[]) {
  await rest(API_KEY, 'POST', '/api/classes', { id: classId, title: classId });
  await rest(API_KEY, 'PUT', `/api/classes/${classId}/roster`, {
    members: [
      { userId: 'ida', name: 'Ida', role: 'instructor' },
      ...students.map((s) => ({ userId: s, name: s[0]!.toUpperCase() + s.slice(1), role: 'student' })),
    ],
  });
  const ida = await server.token({ sub: 'ida', role: 'instructor', cls: classId, name: 'Ida' });
  return {
    announce: (text: string) => rest(ida, 'POST', `/api/classes/${classId}/announcements`, { text }),
    say: (text: string) => rest(ida, 'POST', `/api/classes/${classId}/chat/main/messages`, { text }),
  };
}

const status = (page: Page) => page.getAttribute('[data-testid="connection"]', 'data-status');
const unreadShown = (page: Page) =>
  page
    .locator('[data-testid="inbox-count"]')
    .textContent({ timeout: 200 })
    .catch(() => null);
const inboxItems = (page: Page) =>
  page.$$eval('[data-testid="inbox-item"]', (items) =>
    items.map((i) => ({
      kind: i.getAttribute('data-kind'),
      unread: i.getAttribute('data-unread') === 'true',
      text: i.textContent ?? '',
    })),
  );

describe('notifications', () => {
  it('a student offline while the instructor announces and mentions them sees both on return, and marks all read', async () => {
    const ida = await classWith('nclass', ['ana']);
    const { page, context, errors } = await newPage(browser);
    await openClass(page, server, { sub: 'ana', role: 'student', name: 'Ana', cls: 'nclass' });
    await waitForEditor(page);
    await waitFor(async () => (await status(page)) === 'online', { timeoutMs: 10_000 });
    expect(await unreadShown(page)).toBeNull();

    await context.setOffline(true);
    await waitFor(async () => (await status(page)) === 'offline', { timeoutMs: 5_000, message: 'offline' });
    await ida.announce('Break until 10:15');
    await ida.say('@ana can you share your screen after the break?');
    await context.setOffline(false);
    await waitFor(async () => (await status(page)) === 'online', { timeoutMs: 30_000, message: 'online' });

    await waitFor(async () => (await unreadShown(page)) === '2', { timeoutMs: 10_000, message: 'bell 2' });
    await page.click('[data-testid="inbox-bell"]');
    const items = await inboxItems(page);
    expect(items.map((i) => [i.kind, i.unread])).toEqual([
      ['mention', true],
      ['announcement', true],
    ]);
    expect(items[0]!.text).toContain('Ida mentioned you');
    expect(items[0]!.text).toContain('@ana can you share your screen after the break?');
    expect(items[1]!.text).toContain('Announcement from Ida');
    expect(items[1]!.text).toContain('Break until 10:15');

    await page.click('[data-testid="inbox-mark-all"]');
    await waitFor(async () => (await unreadShown(page)) === null, { message: 'count gone' });
    expect((await inboxItems(page)).every((i) => !i.unread)).toBe(true);
    // Read on the server too: a reload shows no unread count.
    await page.reload();
    await waitForEditor(page);
    await page.click('[data-testid="inbox-bell"]');
    await waitFor(async () => (await inboxItems(page)).length === 2, { message: 'inbox after reload' });
    expect(await unreadShown(page)).toBeNull();
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(e))).toEqual([]);
    await context.close();
  });

  it('a student whose page was closed finds a mention on return; opening it marks it read and opens the chat at it', async () => {
    const ida = await classWith('nclass2', ['ben']);
    await ida.say('@ben your test is failing on line 3');
    const { page, context, errors } = await newPage(browser);
    await openClass(page, server, { sub: 'ben', role: 'student', name: 'Ben', cls: 'nclass2' });
    await waitForEditor(page);
    await waitFor(async () => (await unreadShown(page)) === '1', { timeoutMs: 10_000, message: 'bell 1' });
    await page.click('[data-tab="people"]');
    expect(await page.isVisible('[data-testid="chat-panel"]')).toBe(false);
    await page.click('[data-testid="inbox-bell"]');
    await page.click('[data-testid="inbox-item"][data-kind="mention"]');
    await waitFor(() => page.isVisible('[data-testid="chat-panel"]'), { message: 'chat opened' });
    await waitFor(async () => (await unreadShown(page)) === null, { message: 'count gone' });
    expect(await page.textContent('[data-testid="chat-list"]')).toContain('your test is failing on line 3');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a browser notification while the tab is in the background, after asking once from a click', async () => {
    const ida = await classWith('nclass3', ['cy']);
    const { page, context, errors } = await newPage(browser);
    // Chromium under test has no notification service: record what the page asks for and shows instead.
    await context.addInitScript(() => {
      const shown: { title: string; body: string }[] = [];
      const state = { permission: 'default' as NotificationPermission, asked: 0, hidden: false };
      Object.assign(window, { tandemTest: { shown, state } });
      class FakeNotification {
        static get permission() {
          return state.permission;
        }
        static async requestPermission() {
          state.asked++;
          state.permission = 'granted';
          return state.permission;
        }
        onclick: (() => void) | null = null;
        constructor(title: string, options: { body?: string }) {
          shown.push({ title, body: options.body ?? '' });
        }
        close() {}
      }
      Object.defineProperty(window, 'Notification', { value: FakeNotification, configurable: true });
      Object.defineProperty(document, 'hidden', { get: () => state.hidden, configurable: true });
    });
    await openClass(page, server, { sub: 'cy', role: 'student', name: 'Cy', cls: 'nclass3' });
    await waitForEditor(page);
    await page.click('[data-testid="inbox-bell"]');
    await page.click('[data-testid="inbox-enable-desktop"]');
    const test = () =>
      page.evaluate(
        () =>
          (window as unknown as { tandemTest: { shown: unknown[]; state: { asked: number } } }).tandemTest,
      );
    expect((await test()).state.asked).toBe(1);
    expect(await page.isVisible('[data-testid="inbox-enable-desktop"]')).toBe(false);

    // Visible: the inbox shows it, no browser notification.
    await ida.announce('visible one');
    await waitFor(async () => (await unreadShown(page)) === '1', { message: 'bell 1' });
    expect((await test()).shown).toEqual([]);
    // Hidden: a browser notification.
    await page.evaluate(() => {
      (window as unknown as { tandemTest: { state: { hidden: boolean } } }).tandemTest.state.hidden = true;
    });
    await ida.announce('hidden one');
    await waitFor(async () => (await test()).shown.length === 1, { message: 'browser notification' });
    expect((await test()).shown).toEqual([{ title: 'Announcement from Ida', body: 'hidden one' }]);

    // Asked once: after a reload the offer is not made again.
    await page.reload();
    await waitForEditor(page);
    await page.click('[data-testid="inbox-bell"]');
    await page.waitForSelector('[data-testid="inbox-panel"]');
    expect(await page.isVisible('[data-testid="inbox-enable-desktop"]')).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an embed in a course page posts a notification event and the unread count to the host and shows it in the page', async () => {
    const { page, context, errors } = await newPage(browser);
    const token = await server.token({ sub: 'lin', role: 'student', cls: 'class1', name: 'Lin' });
    const fragment = new URLSearchParams({ tandem: server.httpUrl, class: 'class1', view: 'editor', token });
    const hostEvents = () =>
      page.evaluate(() => (window as unknown as { tandemEvents: EmbedEvent[] }).tandemEvents);
    const unreadEvents = async () =>
      (await hostEvents()).flatMap((e) => (e.type === 'unread' ? [e.unreadCount] : []));
    const openEmbed = async () => {
      await page.goto(`${host.origin}/embed-host.html#${fragment}`);
      await waitFor(async () => (await hostEvents()).some((e) => e.type === 'joined'), {
        timeoutMs: 20_000,
        message: 'embed joined',
      });
      const frame = page.frames().find((f) => f.url().startsWith(`${server.httpUrl}/embed/`));
      if (!frame) throw new Error('embed frame missing');
      await frame.waitForSelector('[data-testid="code-editor"] .view-lines', { timeout: 15_000 });
      return frame;
    };
    const frame = await openEmbed();
    // The embed's inbox has loaded (its bell is there, the host got its count) before the announcement.
    await frame.waitForSelector('[data-testid="inbox-bell"]');
    await waitFor(async () => (await unreadEvents()).length > 0, { message: 'first unread count' });
    expect(await unreadEvents()).toEqual([0]);

    const ida = await server.token({ sub: 'ida', role: 'instructor', cls: 'class1', name: 'Ida' });
    await rest(ida, 'POST', '/api/classes/class1/announcements', { text: 'Submit by Friday' });
    const event = await waitFor(async () => (await hostEvents()).find((e) => e.type === 'notification'), {
      timeoutMs: 10_000,
      message: 'notification event',
    });
    expect(event).toMatchObject({
      tandem: 1,
      type: 'notification',
      notification: { kind: 'announcement', title: 'Announcement from Ida', text: 'Submit by Friday' },
      unreadCount: 1,
    });
    // The example host shows it (its log and its unread badge), and the embed shows it in the page.
    expect(await page.textContent('#events')).toContain('Announcement from Ida: Submit by Friday');
    expect(await page.textContent('[data-testid="host-unread"]')).toBe('1 unread in class');
    await frame.waitForSelector('[data-testid="toasts"] >> text=Submit by Friday', { timeout: 5_000 });
    expect(await frame.textContent('[data-testid="inbox-count"]')).toBe('1');
    // Never a browser notification from the frame: the embed's inbox offers none.
    await frame.click('[data-testid="inbox-bell"]');
    await frame.waitForSelector('[data-testid="inbox-panel"]');
    expect(await frame.isVisible('[data-testid="inbox-enable-desktop"]')).toBe(false);
    await waitFor(async () => (await unreadEvents()).join(',') === '0,1', {
      message: 'unread after arrival',
    });

    // A second one, then the course page loads again: the embed's first inbox load tells the host about the
    // two still unread, before anything new arrives.
    await rest(ida, 'POST', '/api/classes/class1/announcements', { text: 'Bring a laptop' });
    await waitFor(async () => (await unreadEvents()).at(-1) === 2, { message: 'unread 2' });
    await page.goto('about:blank'); // a new document: the same URL with a fragment would only scroll
    const again = await openEmbed();
    await waitFor(async () => (await unreadEvents()).length > 0, { message: 'first count after reload' });
    expect(await unreadEvents()).toEqual([2]);
    expect(await page.textContent('[data-testid="host-unread"]')).toBe('2 unread in class');
    // Reading them in the embed sends the new counts: one read, then all.
    await again.click('[data-testid="inbox-bell"]');
    await again.click('[data-testid="inbox-item"]:has-text("Bring a laptop")');
    await waitFor(async () => (await unreadEvents()).at(-1) === 1, { message: 'one read' });
    if (!(await again.isVisible('[data-testid="inbox-panel"]')))
      await again.click('[data-testid="inbox-bell"]');
    await again.click('[data-testid="inbox-mark-all"]');
    await waitFor(async () => (await unreadEvents()).join(',') === '2,1,0', { message: 'all read' });
    expect(await page.isVisible('[data-testid="host-unread"]')).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
