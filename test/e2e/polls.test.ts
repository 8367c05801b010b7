// Polls and quizzes in real chromium: an instructor composes a poll in the Polls tab and launches it, the
// student's page opens it at once (with a toast), the answer arrives live in the instructor's bars, and results
// shown to the class appear on the student's page; a student who joins while a poll is open gets it opened too
// (until they answered it); a quiz with a code answer typed in a monospace box, graded
// after whitespace normalizing once closed; an anonymous poll whose text answers staff and the class read but
// no API the pages call (nor the platform's) ties to the student. Screenshots of the staff and student views go to /work/briefs/shots.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { openClass, waitForEditor } from './helpers/classroom.ts';

const API_KEY = 'platform-key-0123456789abcdef';
const SHOTS = process.env.POLL_SHOTS_DIR ?? '/work/briefs/shots';
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startTestServer({ API_KEYS: API_KEY });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const shot = async (page: Page, name: string) => {
  if (!fs.existsSync(SHOTS)) return;
  await page.screenshot({ path: path.join(SHOTS, `polls-${name}.png`) });
};

/** Instructor Ida and student Ana on the class page, each on the Polls tab (Ana's opens by itself later). */
async function classPages(classId: string) {
  const staff = await newPage(browser);
  const student = await newPage(browser);
  await openClass(staff.page, server, { sub: 'ida', role: 'instructor', name: 'Ida', cls: classId });
  await openClass(student.page, server, { sub: 'ana', role: 'student', name: 'Ana', cls: classId });
  await Promise.all([waitForEditor(staff.page), waitForEditor(student.page)]);
  await staff.page.click('[data-tab="polls"]');
  await staff.page.waitForSelector('[data-testid="poll-new"]');
  return { staff, student };
}

async function compose(page: Page, fill: () => Promise<void>) {
  await page.click('[data-testid="poll-new"]');
  await fill();
  await page.click('[data-testid="poll-launch-new"]');
  await page.waitForSelector('[data-testid="poll-composer"]', { state: 'detached' });
}

const countsOf = (page: Page) =>
  page.$$eval('[data-poll-id] [data-testid="poll-count"]', (cells) => cells.map((c) => c.textContent));

describe('polls', () => {
  it('a poll from creation to results shown to the class', async () => {
    const { staff, student } = await classPages('pclass');
    // Written as a draft first (students see nothing), edited, then launched.
    await staff.page.click('[data-testid="poll-new"]');
    await staff.page.fill('[data-testid="poll-title"]', 'Tabs or spaces');
    await staff.page.fill('[aria-label="Question 1"]', 'How do you indent?');
    await staff.page.fill('[aria-label="Option 1"]', 'Tabs');
    await staff.page.fill('[aria-label="Option 2"]', 'Spaces');
    await staff.page.click('button:has-text("Save draft")');
    await staff.page.waitForSelector('[data-poll-id][data-state="draft"]');
    await staff.page.click('[data-poll-id] button:has-text("Edit")');
    await staff.page.fill('[data-testid="poll-title"]', 'Tabs or spaces?');
    await staff.page.click('[data-poll-id] button:has-text("Save")');
    await waitFor(async () => (await staff.page.textContent('[data-poll-id] h3')) === 'Tabs or spaces?', {
      message: 'draft edited',
    });
    expect(await student.page.evaluate(() => document.body.textContent)).not.toContain('How do you indent?');
    await staff.page.click('[data-poll-id] button:has-text("Launch")');
    // The student's page opens the poll at once, with a toast.
    await student.page.waitForSelector('[data-testid="poll-form"]', { timeout: 10_000 });
    expect(await student.page.textContent('[data-testid="toasts"]')).toContain('Poll started');
    expect(await student.page.textContent('[data-testid="polls-panel"]')).toContain('How do you indent?');
    expect(await student.page.isVisible('[data-testid="poll-results"]')).toBe(false);
    await shot(student.page, 'student-answering');

    await student.page.click('label.poll-option:has-text("Spaces")');
    await student.page.click('[data-testid="poll-submit"]');
    await waitFor(async () => (await countsOf(staff.page)).join(',') === '0,1', { message: 'live result' });
    // Changing the answer moves the vote.
    await student.page.click('label.poll-option:has-text("Tabs")');
    await student.page.click('[data-testid="poll-submit"]');
    await waitFor(async () => (await countsOf(staff.page)).join(',') === '1,0', { message: 'changed' });
    await shot(staff.page, 'staff-live-results');

    await staff.page.click('[data-testid="poll-show"]');
    await student.page.waitForSelector('[data-testid="poll-results"]', { timeout: 10_000 });
    expect(await countsOf(student.page)).toEqual(['1', '0']);
    await staff.page.click('[data-testid="poll-close"]');
    await waitFor(async () => (await student.page.getAttribute('[data-poll-id]', 'data-state')) === 'closed');
    expect(await student.page.isVisible('[data-testid="poll-submit"]')).toBe(false);
    await shot(student.page, 'student-results-shown');
    // The "poll started" notification in the inbox leads back to the Polls tab.
    await student.page.click('[data-tab="chat"]');
    expect(await student.page.isVisible('[data-testid="polls-panel"]')).toBe(false);
    await student.page.click('[data-testid="inbox-bell"]');
    await student.page.click('[data-testid="inbox-item"][data-kind="pollStarted"]');
    await student.page.waitForSelector('[data-testid="polls-panel"]', { timeout: 5_000 });
    expect([...staff.errors, ...student.errors]).toEqual([]);
    await staff.context.close();
    await student.context.close();
  });

  it('opens a poll that is already open on the page of a student who joins late, until they answered it', async () => {
    const staff = await newPage(browser);
    await openClass(staff.page, server, { sub: 'ida', role: 'instructor', name: 'Ida', cls: 'lclass' });
    await waitForEditor(staff.page);
    await staff.page.click('[data-tab="polls"]');
    await compose(staff.page, async () => {
      await staff.page.fill('[data-testid="poll-title"]', 'Late question');
      await staff.page.fill('[aria-label="Question 1"]', 'Ready?');
      await staff.page.fill('[aria-label="Option 1"]', 'Yes');
      await staff.page.fill('[aria-label="Option 2"]', 'No');
    });
    await staff.page.waitForSelector('[data-poll-id][data-state="open"]');

    // Launched before the student's page existed: no notice reaches it, the first class state opens the poll.
    const student = await newPage(browser);
    await openClass(student.page, server, { sub: 'lea', role: 'student', name: 'Lea', cls: 'lclass' });
    await student.page.waitForSelector('[data-testid="poll-form"]', { timeout: 15_000 });
    expect(await student.page.textContent('[data-testid="polls-panel"]')).toContain('Ready?');
    await student.page.click('label.poll-option:has-text("Yes")');
    await student.page.click('[data-testid="poll-submit"]');
    await waitFor(async () => (await countsOf(staff.page)).join(',') === '1,0', { message: 'answered' });

    // Answered already: a reload leaves the page on the chat, the poll counted on its tab.
    await student.page.reload();
    await waitForEditor(student.page);
    await student.page.waitForSelector('[data-tab="polls"]:has-text("Polls · 1")', { timeout: 15_000 });
    expect(await student.page.isVisible('[data-testid="polls-panel"]')).toBe(false);
    // An observer watches but does not answer: their page is not switched either.
    const observer = await newPage(browser);
    await openClass(observer.page, server, { sub: 'oz', role: 'observer', name: 'Oz', cls: 'lclass' });
    await waitForEditor(observer.page);
    await observer.page.waitForSelector('[data-tab="polls"]:has-text("Polls · 1")', { timeout: 15_000 });
    expect(await observer.page.isVisible('[data-testid="polls-panel"]')).toBe(false);
    expect([...staff.errors, ...student.errors, ...observer.errors]).toEqual([]);
    for (const p of [staff, student, observer]) await p.context.close();
  });

  it('a quiz with a code answer, graded when it closes', async () => {
    const { staff, student } = await classPages('qclass');
    await compose(staff.page, async () => {
      await staff.page.fill('[data-testid="poll-title"]', 'Loops quiz');
      await staff.page.check('[data-testid="poll-kind-quiz"]');
      await staff.page.selectOption('[aria-label="Question type"]', 'code');
      await staff.page.fill('[aria-label="Question 1"]', 'Print 0 to 2, one per line');
      await staff.page.fill('[aria-label="Expected answer"]', 'for i in range(3):\n    print(i)');
      await shot(staff.page, 'staff-composing-quiz');
    });
    await student.page.waitForSelector('[aria-label="Your code"]', { timeout: 10_000 });
    const font = await student.page.$eval(
      '[aria-label="Your code"]',
      (el) => getComputedStyle(el).fontFamily,
    );
    expect(font).toMatch(/mono|Menlo|Consolas/i);
    // The expected answer never reached the student's page before the quiz closed.
    expect(await student.page.content()).not.toContain('print(i)');
    await student.page.fill('[aria-label="Your code"]', 'for i in  range(3):\n\tprint(i)   \n\n');
    await student.page.click('[data-testid="poll-submit"]');
    await waitFor(
      async () => (await staff.page.textContent('[data-testid="poll-results"]'))?.includes('Ana'),
      {
        message: 'answer listed for staff',
      },
    );
    await shot(staff.page, 'staff-quiz-code');
    await staff.page.click('[data-testid="poll-close"]');
    await waitFor(
      async () => (await student.page.textContent('[data-testid="polls-panel"]'))?.includes('✓ right'),
      {
        message: 'graded right',
      },
    );
    // Once closed, the expected answer is the student's to see.
    expect(await student.page.textContent('[data-testid="poll-expected"]')).toContain('print(i)');
    await shot(student.page, 'student-quiz-graded');
    expect([...staff.errors, ...student.errors]).toEqual([]);
    await staff.context.close();
    await student.context.close();
  });

  it('an anonymous poll whose answers no API reveals', async () => {
    const { staff, student } = await classPages('aclass');
    const bodies: { who: string; url: string; text: string }[] = [];
    for (const [who, { page }] of [
      ['staff', staff],
      ['student', student],
    ] as const) {
      page.on('response', async (res) => {
        if (!res.url().includes('/api/')) return;
        bodies.push({ who, url: res.url(), text: await res.text().catch(() => '') });
      });
    }
    await compose(staff.page, async () => {
      await staff.page.fill('[data-testid="poll-title"]', 'How do you feel?');
      await staff.page.check('[data-testid="poll-anonymous"]');
      await staff.page.selectOption('[aria-label="Question type"]', 'text');
      await staff.page.fill('[aria-label="Question 1"]', 'Be honest');
    });
    await student.page.waitForSelector('[aria-label="Your answer"]', { timeout: 10_000 });
    await student.page.fill('[aria-label="Your answer"]', 'lost-in-recursion');
    await student.page.click('[data-testid="poll-submit"]');
    await waitFor(
      async () =>
        (await staff.page.textContent('[data-testid="poll-results"]'))?.includes('1 person answered'),
      {
        message: 'answer counted',
      },
    );
    await staff.page.click('[data-testid="poll-show"]');
    await student.page.waitForSelector('[data-testid="poll-results"]', { timeout: 10_000 });
    await shot(staff.page, 'staff-anonymous');
    // Staff and the class read the text, but nothing on either page ties it to Ana...
    await waitFor(
      async () =>
        (await student.page.textContent('[data-testid="poll-answers"]'))?.includes('lost-in-recursion'),
      { message: 'text shown to the class' },
    );
    const results = await staff.page.textContent('[data-testid="poll-results"]');
    expect(results).toContain('lost-in-recursion');
    expect(results).not.toContain('Ana');
    expect(await student.page.textContent('[data-testid="poll-results"]')).not.toContain('Ana');
    // ...nor does any poll reply either page got: the listed text carries no id and no name.
    const pollReplies = bodies.filter((b) => /\/polls|\/state/.test(b.url));
    expect(pollReplies.length).toBeGreaterThan(2);
    for (const b of pollReplies) {
      expect(b.text, b.url).not.toMatch(/"ana"|"Ana"/);
      for (const listed of b.text.matchAll(/\{[^{}]*"text":"lost-in-recursion"[^{}]*\}/g)) {
        if (listed[0].includes('"userId"')) expect(listed[0]).toMatch(/"userId":null,"name":null/);
      }
    }
    expect(
      pollReplies.some(
        (b) => b.who === 'staff' && b.text.includes('"userId":null,"name":null,"text":"lost-in-recursion"'),
      ),
    ).toBe(true);
    // ...nor the platform's view of the poll and its results.
    const list = await fetch(`${server.httpUrl}/api/classes/aclass/polls`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const listed = (await list.json()) as { polls: { id: string }[] };
    for (const p of listed.polls) {
      for (const suffix of ['', '/results']) {
        const res = await fetch(`${server.httpUrl}/api/polls/${p.id}${suffix}`, {
          headers: { authorization: `Bearer ${API_KEY}` },
        });
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(text).not.toMatch(/"ana"|"Ana"/);
        expect(text).toContain('{"userId":null,"name":null,"text":"lost-in-recursion"');
      }
    }
    expect([...staff.errors, ...student.errors]).toEqual([]);
    await staff.context.close();
    await student.context.close();
  });
});
