// History in the browser: save a labelled version, compare it with now and with another saved version in the
// diff editor, restore it (a new edit on top); "Who wrote this" names the writer of each line typed by two
// people, and still does after the update log is pruned (entries aged past HISTORY_RETENTION_DAYS while the
// server was stopped); staff grade a student who has no page open (activity, one workspace's zip). Screenshots
// of the panel and the attribution go to /work/briefs/shots when that folder exists.
import fs from 'node:fs';
import path from 'node:path';
import { createCodeFile, getCodeFile } from '@tandem/shared';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { clickIntoEditor, editorText, openClass, waitForEditor } from './helpers/classroom.ts';

const SHOTS = '/work/briefs/shots';
const TEN_DAYS_MS = 10 * 86_400_000;
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

async function shot(page: Page, name: string) {
  if (fs.existsSync(SHOTS)) await page.screenshot({ path: path.join(SHOTS, `history-${name}.png`) });
}

/** Each visible editor line with the attribution label drawn after it (empty when none). */
function attributedLines(page: Page): Promise<{ text: string; label: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="code-editor"] .view-line')]
      .sort(
        (a, b) =>
          Number.parseFloat((a as HTMLElement).style.top) - Number.parseFloat((b as HTMLElement).style.top),
      )
      .map((line) => {
        const label = line.querySelector('.blame-label')?.textContent ?? '';
        const text = (line.textContent ?? '').replace(label, '').replace(/\u00a0/g, ' ');
        return { text, label: label.replace(/\u00a0/g, ' ').trim() };
      }),
  );
}

async function expectAuthors(page: Page) {
  await page.click('[data-testid="blame-toggle"]');
  await waitFor(
    async () => {
      const lines = await attributedLines(page);
      const ada = lines.find((l) => l.text.includes('ada_line = 1'));
      const linus = lines.find((l) => l.text.includes('linus_line = 2'));
      return ada?.label.startsWith('ada ·') && linus?.label.startsWith('linus ·');
    },
    { timeoutMs: 15_000, message: 'each typed line names its writer' },
  );
  const legend = (await page.locator('[data-testid="blame-legend"]').textContent()) ?? '';
  expect(legend).toContain('ada');
  expect(legend).toContain('linus');
}

describe('history', () => {
  it('compares versions with now and with each other, restores one, names who wrote each line (also after pruning), grades an absent student', async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await openClass(a.page, server, { sub: 'ada', role: 'instructor' });
    await waitForEditor(a.page);
    await openClass(b.page, server, { sub: 'linus', role: 'student' });
    await waitForEditor(b.page);

    await clickIntoEditor(a.page);
    await a.page.keyboard.press('Control+End');
    await a.page.keyboard.type('\nada_line = 1');
    await waitFor(async () => (await editorText(b.page)).includes('ada_line = 1'), { timeoutMs: 10_000 });
    await clickIntoEditor(b.page);
    await b.page.keyboard.press('Control+End');
    await b.page.keyboard.type('\nlinus_line = 2');
    await waitFor(async () => (await editorText(a.page)).includes('linus_line = 2'), { timeoutMs: 10_000 });

    // Save a version, change the file, compare the version with now.
    await a.page.click('[data-testid="history-open"]');
    await a.page.fill('[data-testid="version-label"]', 'before the change');
    await a.page.click('[data-testid="version-save"]');
    await a.page.waitForSelector('[data-testid="history-version"]:has-text("before the change")');
    // Escape closes the panel, as any dialog; the close button does too (below).
    await a.page.keyboard.press('Escape');
    await a.page.waitForSelector('[data-testid="history-panel"]', { state: 'detached', timeout: 5000 });
    await a.page.click('[data-testid="history-open"]');
    expect(await a.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'history-panel',
    );
    await a.page.click('[aria-label="Close history"]');
    await clickIntoEditor(a.page);
    await a.page.keyboard.press('Control+End');
    await a.page.keyboard.type('\nchanged = 3');
    await waitFor(async () => (await editorText(b.page)).includes('changed = 3'), { timeoutMs: 10_000 });
    await a.page.click('[data-testid="history-open"]');
    await a.page.click('[data-testid="compare-run"]');
    await a.page.waitForSelector('[data-testid="history-diff"] .modified .view-line');
    await waitFor(
      () => a.page.locator('[data-testid="history-diff"] .modified', { hasText: 'changed = 3' }).count(),
      { timeoutMs: 10_000, message: 'the diff shows the new line on the right' },
    );
    expect(
      await a.page.locator('[data-testid="history-diff"] .original', { hasText: 'changed = 3' }).count(),
    ).toBe(0);
    await shot(a.page, 'panel');

    // Two saved versions compared with each other, not with now (which has a line neither version has).
    await a.page.fill('[data-testid="version-label"]', 'with the change');
    await a.page.click('[data-testid="version-save"]');
    await a.page.waitForSelector('[data-testid="history-version"]:has-text("with the change")');
    await clickIntoEditor(b.page);
    await b.page.keyboard.press('Control+End');
    await b.page.keyboard.type('\nlater = 4');
    await waitFor(async () => (await editorText(a.page)).includes('later = 4'), { timeoutMs: 10_000 });
    await a.page.selectOption('[data-testid="compare-left"]', { label: 'before the change' });
    await a.page.selectOption('[data-testid="compare-right"]', { label: 'with the change' });
    await a.page.click('[data-testid="compare-run"]');
    await a.page
      .locator('.history-diff-section', { hasText: 'before the change → with the change' })
      .waitFor();
    await waitFor(
      () => a.page.locator('[data-testid="history-diff"] .modified', { hasText: 'changed = 3' }).count(),
      { timeoutMs: 10_000, message: 'the second version has the new line' },
    );
    expect(
      await a.page.locator('[data-testid="history-diff"] .original', { hasText: 'changed = 3' }).count(),
    ).toBe(0);
    expect(await a.page.locator('[data-testid="history-diff"]', { hasText: 'later = 4' }).count()).toBe(0);

    // Restore: a new edit on top, reaching the other person too.
    a.page.once('dialog', (dialog) => void dialog.accept());
    await a.page.click('[data-testid="history-version"]:has-text("before the change") >> text=Restore');
    await waitFor(async () => !(await editorText(b.page)).includes('changed = 3'), {
      timeoutMs: 10_000,
      message: 'the restore reached the other editor',
    });
    expect(await editorText(b.page)).toContain('linus_line = 2');
    await a.page.click('[aria-label="Close history"]');

    await expectAuthors(a.page);
    await shot(a.page, 'blame');

    // Staff grading a student with no page open: Grace received a hand-out on first opening her workspace,
    // wrote in it (through the API here, with a large paste) and left; only Linus is present.
    const adaToken = await server.token({ sub: 'ada', role: 'instructor' });
    const handout = await fetch(`${server.httpUrl}/api/classes/class1/handout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'template',
        files: [{ id: 'task', name: 'task.py', content: '# task\n' }],
      }),
    });
    expect(handout.status).toBe(201);
    const graceToken = await server.token({ sub: 'grace', role: 'student', name: 'Grace Hopper' });
    const opened = await fetch(`${server.httpUrl}/api/classes/class1/workspaces/grace/open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${graceToken}` },
    });
    expect(await opened.json()).toMatchObject({ delivered: true });
    const workspace = connectCollab(server, 'class1/ws/grace', graceToken);
    await workspace.synced();
    createCodeFile(workspace.doc, { id: 'main', name: 'main.py', content: '', createdBy: 'grace' });
    await workspace.saved();
    getCodeFile(workspace.doc, 'main')!.text.insert(0, `answer = ${'1 + '.repeat(80)}1\n`);
    await workspace.saved();
    workspace.destroy();
    await a.page.click('[data-testid="history-open"]');
    const student = a.page.locator('[data-testid="grading-student"]');
    // Listed by the server (named as the class knows her: here by id, she is on no roster).
    await student.locator('option[value="grace"]').waitFor({ state: 'attached' });
    expect(
      await student.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual(['grace', 'linus']);
    await student.selectOption('grace');
    await a.page.click('[data-testid="grading-activity"]');
    await a.page.waitForSelector('[data-testid="grading-pastes"] >> text=Paste of');
    const [one] = await Promise.all([a.page.waitForEvent('download'), a.page.click('text=Download (zip)')]);
    expect(one.suggestedFilename()).toBe('class1-grace.zip');
    const zip = unzipSync(new Uint8Array(fs.readFileSync((await one.path())!)));
    expect(Object.keys(zip).sort()).toEqual(['grace/main.py', 'grace/task.py']);
    const [download] = await Promise.all([
      a.page.waitForEvent('download'),
      a.page.click('text=Download every workspace'),
    ]);
    expect(download.suggestedFilename()).toBe('class1-workspaces.zip');
    await shot(a.page, 'grading');
    await a.page.click('[aria-label="Close history"]');
    await a.context.close();
    await b.context.close();

    // Age the log while stopped, restart with a one-day retention, and let the next update prune it.
    const { dataDir } = server;
    await server.stop();
    const db = new Database(path.join(dataDir, 'tandem.db'));
    db.prepare('UPDATE updates SET ts = ts - ?').run(TEN_DAYS_MS);
    db.close();
    server = await startTestServer(
      { DEV_TOKENS: '1', HISTORY_RETENTION_DAYS: '1', SNAPSHOT_EVERY_UPDATES: '1' },
      { dataDir },
    );
    const token = await server.token({ sub: 'ada', role: 'instructor' });
    const writer = connectCollab(server, 'class1/code/main', token);
    await writer.synced();
    writer.doc.getText('scratch').insert(0, 'prune now');
    await writer.saved();
    await waitFor(
      async () => {
        const res = await fetch(`${server.httpUrl}/api/documents/class1/code/main/history`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const { entries } = (await res.json()) as { entries: { userId: string | null }[] };
        return !entries.some((e) => e.userId === 'linus');
      },
      { message: "Linus's updates pruned from the log" },
    );
    writer.destroy();

    const c = await newPage(browser);
    await openClass(c.page, server, { sub: 'ada', role: 'instructor' });
    await waitForEditor(c.page);
    await expectAuthors(c.page);
    await shot(c.page, 'blame-after-pruning');
    expect(c.errors).toEqual([]);
    await c.context.close();
  });
});
