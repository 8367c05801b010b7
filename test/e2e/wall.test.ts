// Exercises, personal workspaces and the instructor's wall in real chromium: an instructor and two students.
// Handing out the class code; a student editing their own workspace while the other cannot open it; the wall
// updating live as both type; opening a tile and editing alongside (the student sees the instructor's
// cursor); the spotlight showing a workspace to the class and ending; a diff against the current exercise;
// handing out again over work asks first; a student in class but off screen passes the online filter; a
// template handed out from the wall; a student in a breakout group opening their one workspace and the main
// class's code. Screenshots of the wall and the diff go to /work/briefs/shots.
import fs from 'node:fs';
import { createCodeFile, listCodeFiles } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { openClass, waitForEditor } from './helpers/classroom.ts';

const SHOTS = '/work/briefs/shots';
const API_KEY = 'wall-e2e-key-0123456789';
const ROSTER_SIZE = 40;
const STARTER = 'def greet(name):\n    return "hello " + name\n';

let server: TestServer;
let browser: Browser;
let ada: Awaited<ReturnType<typeof newPage>>;
let linus: Awaited<ReturnType<typeof newPage>>;
let grace: Awaited<ReturnType<typeof newPage>>;

const mine = (page: Page) => page.locator('[data-testid="my-workspace"]');
const tile = (page: Page, userId: string) => page.locator(`[data-testid="wall-tile"][data-user="${userId}"]`);
/** The text of the workspace editor's visible lines, in order. */
const workspaceText = (page: Page, scope = '[data-testid="my-workspace"]') =>
  page.evaluate((sel) => {
    const lines = [...document.querySelectorAll(`${sel} [data-testid="code-editor"] .view-line`)];
    return lines
      .sort(
        (a, b) =>
          Number.parseFloat((a as HTMLElement).style.top) - Number.parseFloat((b as HTMLElement).style.top),
      )
      .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
  }, scope);

async function openMyWorkspace(page: Page) {
  await page.locator('[data-code-view="mine"]').click();
  await mine(page).locator('[data-testid="code-editor"] .view-lines').waitFor({ timeout: 20_000 });
}

/** Types at the end of the student's workspace file. */
async function typeInWorkspace(page: Page, text: string) {
  await mine(page).locator('[data-testid="code-editor"] .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startTestServer({ API_KEYS: API_KEY });
  // A class of 40 on the roster besides the two students in the browser: more tiles than fit on screen.
  await fetch(`${server.httpUrl}/api/classes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'class1', title: 'Wall' }),
  });
  const roster = Array.from({ length: ROSTER_SIZE }, (_, i) => ({
    userId: `r${String(i).padStart(2, '0')}`,
    name: `Roster ${String(i).padStart(2, '0')}`,
    role: 'student',
  }));
  const put = await fetch(`${server.httpUrl}/api/classes/class1/roster`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ members: roster }),
  });
  expect(put.status).toBe(200);
  const seed = connectCollab(
    server,
    'class1/code/main',
    await server.token({ sub: 'seed', role: 'instructor' }),
  );
  await seed.synced();
  createCodeFile(seed.doc, { id: 'main', name: 'main.py', content: STARTER, createdBy: 'seed' });
  await seed.saved();
  seed.destroy();
  browser = await launchBrowser();
  [ada, linus, grace] = await Promise.all([newPage(browser), newPage(browser), newPage(browser)]);
  await openClass(ada.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace' });
  await openClass(linus.page, server, { sub: 'linus', role: 'student', name: 'Linus Torvalds' });
  await openClass(grace.page, server, { sub: 'grace', role: 'student', name: 'Grace Hopper' });
  for (const p of [ada, linus, grace]) await waitForEditor(p.page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the wall', () => {
  it('hands out the class code to every present student', async () => {
    await ada.page.locator('.workspace [data-tab="wall"]').click();
    await tile(ada.page, 'linus').waitFor({ timeout: 20_000 });
    await tile(ada.page, 'grace').waitFor();
    await ada.page.getByRole('button', { name: 'Hand out the class code' }).click();
    await ada.page.getByText(`Handed out to ${ROSTER_SIZE + 2} workspaces`).waitFor({ timeout: 20_000 });
    for (const p of [linus, grace]) {
      await openMyWorkspace(p.page);
      await waitFor(async () => (await workspaceText(p.page)).includes('return "hello " + name'), {
        timeoutMs: 10_000,
      });
    }
  });

  it('lets a student edit their own workspace while another student cannot open it', async () => {
    await typeInWorkspace(linus.page, '\nprint(greet("linus"))');
    await linus.page.screenshot({ path: `${SHOTS}/wall-student-workspace.png` });
    await waitFor(async () => (await workspaceText(linus.page)).includes('greet("linus")'), {
      timeoutMs: 10_000,
    });
    // Grace's page, with her own token: REST refused.
    const graceToken = await server.token({ sub: 'grace', role: 'student', name: 'Grace Hopper' });
    const status = await grace.page.evaluate(async (token) => {
      const res = await fetch('/api/documents/class1/ws/linus/versions', {
        headers: { authorization: `Bearer ${token}` },
      });
      return res.status;
    }, graceToken);
    expect(status).toBe(403);
    // Sync refused for a real client with her token, while Linus's own writes go through.
    const peek = connectCollab(
      server,
      'class1/ws/linus',
      await server.token({ sub: 'grace', role: 'student' }),
    );
    await waitFor(() => peek.denied.length > 0 || peek.closes.length > 0);
    expect(peek.doc.getMap('files').size).toBe(0);
    peek.destroy();
  });

  it('updates live as two students type', async () => {
    await typeInWorkspace(grace.page, '\nprint(greet("grace"))');
    await typeInWorkspace(linus.page, '\nprint("more from linus")');
    await waitFor(async () => (await tile(ada.page, 'grace').textContent())?.includes('greet("grace")'), {
      timeoutMs: 10_000,
    });
    await waitFor(async () => (await tile(ada.page, 'linus').textContent())?.includes('more from linus'), {
      timeoutMs: 10_000,
    });
    expect(await tile(ada.page, 'linus').getAttribute('data-subscribed')).toBe('yes');
    await waitFor(async () => (await tile(ada.page, 'linus').getAttribute('data-status')) === 'typing');
    expect(await tile(ada.page, 'linus').locator('[data-testid="wall-tile-changes"]').textContent()).toMatch(
      /\+2/,
    );
    await ada.page.screenshot({ path: `${SHOTS}/wall-grid.png` });
  });

  it('subscribes a tile to its workspace only while it is on screen', async () => {
    const openWorkspaces = () =>
      [...server.tandem.ctx.collab.hocuspocus.documents.values()].filter((d) =>
        d.name.startsWith('class1/ws/r'),
      );
    const subscribed = () =>
      ada.page
        .locator('[data-testid="wall-tile"][data-subscribed="yes"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-user')));
    // Sorted by name: Grace, Linus, then Roster 00..39; only the first rows are on screen.
    await waitFor(async () => (await subscribed()).includes('r00'), { timeoutMs: 10_000 });
    const top = await subscribed();
    expect(top.length).toBeLessThan(ROSTER_SIZE);
    expect(top).not.toContain('r39');
    await waitFor(() => openWorkspaces().length === top.filter((u) => u?.startsWith('r')).length);
    await ada.page.locator('.wall-grid').evaluate((grid) => grid.scrollTo(0, grid.scrollHeight));
    await waitFor(async () => (await subscribed()).includes('r39'), { timeoutMs: 10_000 });
    await waitFor(async () => !(await subscribed()).includes('r00'), { timeoutMs: 10_000 });
    // The server let go of the workspaces scrolled away (nobody else has them open).
    await waitFor(() => !openWorkspaces().some((d) => d.name === 'class1/ws/r00'), { timeoutMs: 10_000 });
    expect(openWorkspaces().some((d) => d.name === 'class1/ws/r39')).toBe(true);
    await ada.page.locator('.wall-grid').evaluate((grid) => grid.scrollTo(0, 0));
    await waitFor(async () => (await subscribed()).includes('linus'), { timeoutMs: 10_000 });
  });

  it('shows a raised hand on the tile, and filters and sorts tiles', async () => {
    const adaToken = await server.token({ sub: 'ada', role: 'instructor', name: 'Ada Lovelace' });
    const started = await fetch(`${server.httpUrl}/api/classes/class1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ startNow: true }),
    });
    expect(started.status).toBe(201);
    const token = await server.token({ sub: 'linus', role: 'student', name: 'Linus Torvalds' });
    const raised = await fetch(`${server.httpUrl}/api/classes/class1/hands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(raised.status).toBe(200);
    await ada.page
      .locator('[data-testid="wall-tile"][data-user="linus"].wall-tile-hand')
      .waitFor({ timeout: 10_000 });
    const shown = () =>
      ada.page
        .locator('[data-testid="wall-tile"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-user')));
    await ada.page.getByLabel('Show').selectOption('hands');
    await waitFor(async () => JSON.stringify(await shown()) === '["linus"]', {
      timeoutMs: 10_000,
      message: 'hands filter',
    });
    // Roster 39 comes into the class (the class code, not her workspace) while her tile is off screen (the
    // hands filter hides it; its facts, from when it was scrolled to, say she was not in her workspace): the
    // online filter includes her, as "in class".
    const r39 = connectCollab(
      server,
      'class1/code/main',
      await server.token({ sub: 'r39', role: 'student', name: 'Roster 39' }),
    );
    await r39.synced();
    r39.provider.awareness?.setLocalStateField('view', 'editor');
    expect(await tile(ada.page, 'r39').count()).toBe(0);
    await ada.page.getByLabel('Show').selectOption('online');
    await waitFor(async () => JSON.stringify((await shown()).sort()) === '["grace","linus","r39"]', {
      timeoutMs: 10_000,
      message: 'online filter with an off-screen student in class',
    });
    await waitFor(async () => (await tile(ada.page, 'r39').getAttribute('data-status')) === 'in-class', {
      timeoutMs: 10_000,
    });
    r39.destroy();
    await waitFor(async () => JSON.stringify((await shown()).sort()) === '["grace","linus"]', {
      timeoutMs: 10_000,
      message: 'online filter after she left',
    });
    await ada.page.getByLabel('Sort by').selectOption('changes');
    await waitFor(async () => JSON.stringify(await shown()) === '["linus","grace"]', {
      timeoutMs: 10_000,
      message: 'online filter',
    });
    await ada.page.getByLabel('Show').selectOption('all');
    await ada.page.getByLabel('Find a student').fill('gra');
    await waitFor(async () => JSON.stringify(await shown()) === '["grace"]', {
      timeoutMs: 10_000,
      message: 'sort by changes',
    });
    await ada.page.getByLabel('Find a student').fill('');
    await ada.page.getByLabel('Sort by').selectOption('name');
    await fetch(`${server.httpUrl}/api/classes/class1/hands/linus`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
  });

  it('opens a tile full size and edits alongside, the student seeing the instructor', async () => {
    await tile(ada.page, 'linus').click();
    const detail = ada.page.locator('[data-testid="wall-detail"]');
    await detail.locator('[data-testid="code-editor"] .view-lines').waitFor({ timeout: 20_000 });
    await waitFor(async () =>
      (await workspaceText(ada.page, '[data-testid="wall-detail"]')).includes('more from linus'),
    );
    await detail.locator('[data-testid="code-editor"] .view-lines').click();
    await ada.page.keyboard.press('Control+End');
    await ada.page.keyboard.type('\n# hint from Ada');
    await waitFor(async () => (await workspaceText(linus.page)).includes('# hint from Ada'), {
      timeoutMs: 10_000,
    });
    await mine(linus.page)
      .locator('.tandem-remote-label', { hasText: 'Ada Lovelace' })
      .waitFor({ timeout: 10_000 });
    // Follow the student: the open tile's editor says whom it follows, and stops on request.
    await ada.page.getByRole('button', { name: 'Follow', exact: true }).click();
    await ada.page
      .locator('[data-testid="wall-detail"] [data-testid="follow-bar"]', {
        hasText: 'Following Linus Torvalds',
      })
      .waitFor({ timeout: 10_000 });
    await ada.page
      .locator('[data-testid="wall-detail"] [data-testid="follow-bar"]')
      .getByRole('button')
      .first()
      .click();
    await ada.page
      .locator('[data-testid="wall-detail"] [data-testid="follow-bar"]', { hasText: 'Following' })
      .waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('shows the workspace to the class with the spotlight, and ends it', async () => {
    await ada.page.getByRole('button', { name: 'Show to class' }).click();
    const spotlight = grace.page.locator('[data-testid="spotlight"]');
    await spotlight.waitFor({ timeout: 10_000 });
    await waitFor(async () => (await spotlight.textContent())?.includes('# hint from Ada'), {
      timeoutMs: 10_000,
    });
    await ada.page.getByRole('button', { name: 'End spotlight' }).click();
    await spotlight.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('compares the workspace with the current exercise', async () => {
    await ada.page.getByRole('button', { name: 'Compare with current exercise' }).click();
    const diff = ada.page.locator('[data-testid="wall-diff"]');
    await diff.locator('.monaco-diff-editor').waitFor({ timeout: 10_000 });
    await diff.locator('.line-insert, .char-insert').first().waitFor({ timeout: 10_000 });
    expect(
      (await diff.locator('.editor.modified .view-lines').first().textContent())?.replace(/\u00a0/g, ' '),
    ).toContain('hint from Ada');
    await ada.page.screenshot({ path: `${SHOTS}/wall-diff.png` });
    expect(fs.existsSync(`${SHOTS}/wall-diff.png`)).toBe(true);
  });

  it('asks before handing out again over work, then saves it as a version', async () => {
    await ada.page.getByRole('button', { name: 'Back to the wall' }).click();
    await ada.page.getByRole('button', { name: 'Hand out the class code' }).click();
    const ask = ada.page.getByRole('alertdialog');
    await ask.waitFor({ timeout: 10_000 });
    expect(await ask.textContent()).toMatch(/2 workspaces have work/);
    await ask.getByRole('button', { name: 'Save and replace' }).click();
    await ada.page.getByText('(2 saved as versions first)').waitFor({ timeout: 10_000 });
    await waitFor(async () => !(await workspaceText(linus.page)).includes('hint from Ada'), {
      timeoutMs: 10_000,
    });
    const token = await server.token({ sub: 'linus', role: 'student' });
    const res = await fetch(`${server.httpUrl}/api/documents/class1/ws/linus/versions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { versions } = (await res.json()) as { versions: { label: string }[] };
    expect(versions.map((v) => v.label)).toContain('Before hand-out 2');
  });

  it('hands out a template typed and uploaded on the wall', async () => {
    const form = ada.page.locator('[data-testid="handout-template"]');
    const fileList = ada.page.locator('[data-testid="handout-files"]');
    const isOpen = (details: typeof form) => details.evaluate((d) => (d as HTMLDetailsElement).open);
    if (!(await isOpen(fileList))) await fileList.locator('summary').click();
    await form.locator('summary').click();
    // The two open over the wall one at a time: opening the template form closes the file list.
    await waitFor(async () => !(await isOpen(fileList)), { timeoutMs: 5000 });
    await form.getByLabel('Template file name').fill('ex2.py');
    await form.getByLabel('Template file content').fill('# exercise 2\n');
    await form.getByLabel('Upload template files').setInputFiles({
      name: 'helper.py',
      mimeType: 'text/x-python',
      buffer: Buffer.from('def helper():\n    return 2\n'),
    });
    await form.getByText('helper.py', { exact: true }).waitFor({ timeout: 5000 });
    await form.getByRole('button', { name: 'Hand out the template' }).click();
    await ada.page
      .getByText(`Handed out to ${ROSTER_SIZE + 2} workspaces.`, { exact: true })
      .waitFor({ timeout: 20_000 });
    const filesOf = (userId: string) =>
      server.tandem.ctx.collab.read(`class1/ws/${userId}`, (doc) =>
        listCodeFiles(doc).map((f) => [f.name, f.text.toString()]),
      );
    expect(await filesOf('linus')).toEqual([
      ['ex2.py', '# exercise 2\n'],
      ['helper.py', 'def helper():\n    return 2\n'],
    ]);
    await waitFor(async () => !(await workspaceText(linus.page)).includes('return "hello " + name'), {
      timeoutMs: 10_000,
    });
    // The label follows the class's live state, which may arrive after the confirmation: wait for it.
    const handout = ada.page.getByTestId('wall-handout');
    await waitFor(async () => (await handout.textContent()) === 'Exercise 3 handed out', {
      timeoutMs: 10_000,
      message: 'the wall names the third hand-out',
    });
    expect(await handout.textContent()).toBe('Exercise 3 handed out');
  });

  it("in a breakout group, a student's switch offers the group's and the main class's code, and opens their one workspace", async () => {
    const adaToken = await server.token({ sub: 'ada', role: 'instructor', name: 'Ada Lovelace' });
    const opened = await fetch(`${server.httpUrl}/api/classes/class1/breakouts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'chosen', groups: [{ name: 'Pairs', members: ['linus'] }] }),
    });
    expect(opened.status).toBe(201);
    await waitFor(() => linus.page.url().includes('/c/class1--r'), { timeoutMs: 15_000 });
    await linus.page.locator('[data-testid="breakout-bar"]').waitFor({ timeout: 15_000 });
    await waitForEditor(linus.page);
    const options = await linus.page
      .locator('[data-code-view]')
      .evaluateAll((els) => els.map((e) => e.textContent));
    expect(options).toEqual(['Group code', 'Main class code', 'My workspace']);
    // My workspace is the main class's: the template handed out there, not an empty group document.
    await openMyWorkspace(linus.page);
    await waitFor(async () => /exercise 2|def helper/.test(await workspaceText(linus.page)), {
      timeoutMs: 10_000,
      message: "the main class's workspace in the group",
    });
    await typeInWorkspace(linus.page, '\n# typed in the group');
    await waitFor(
      async () =>
        (
          await server.tandem.ctx.collab.read('class1/ws/linus', (doc) =>
            listCodeFiles(doc)
              .map((f) => f.text.toString())
              .join(''),
          )
        ).includes('# typed in the group'),
      { timeoutMs: 10_000 },
    );
    expect(
      [...server.tandem.ctx.collab.hocuspocus.documents.keys()].some(
        (n) => n.includes('--r') && n.includes('/ws/'),
      ),
    ).toBe(false);
    // The main class's code, read-only from the group.
    await linus.page.locator('[data-code-view="main"]').click();
    const main = linus.page.locator('[data-testid="main-class-code"]');
    await main.locator('[data-testid="readonly-banner"]').waitFor({ timeout: 10_000 });
    await waitFor(
      async () =>
        (await workspaceText(linus.page, '[data-testid="main-class-code"]')).includes(
          'return "hello " + name',
        ),
      { timeoutMs: 10_000 },
    );
    // The refusals this test asked for (Grace's 403, the hand-out's 409) are logged by the browser; nothing else.
    const errors = [...ada.errors, ...linus.errors, ...grace.errors];
    expect(errors.filter((e) => !/status of (403|409)|favicon/.test(e))).toEqual([]);
  });
});
