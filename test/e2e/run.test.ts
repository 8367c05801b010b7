// Running code in real chromium: an instructor runs Python (with stdin and a second file imported) and
// JavaScript / TypeScript, and a student in the same room sees the same output as it streams; a runaway loop
// is stopped by the time limit; the Stop button ends a run; code in the runner cannot reach the page's token,
// storage, cookies, DOM or IndexedDB (the frame's origin is opaque), and the class page keeps its strict CSP.
// The instructor runs a student's workspace from the wall: the output shows to staff, not in the student's panel.
import { createCodeFile } from '@tandem/shared';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { openClass, waitForEditor } from './helpers/classroom.ts';

/** Short, so the runaway loop's test is quick; Pyodide's loading does not count against it. */
const TIME_LIMIT_SECONDS = 3;

const FILES = {
  'greet.py': [
    'import sys',
    'from helper import twice',
    'name = input("name? ")',
    'print("hello", name)',
    'print("rest:", sys.stdin.read().strip())',
    'print("twice:", twice(21))',
    'print("oops", file=sys.stderr)',
  ].join('\n'),
  'helper.py': 'def twice(x):\n    return 2 * x\n',
  'hello.js': [
    'console.log("js says", 6 * 7, { a: [1, 2] });',
    'const line = prompt();',
    'console.log("read", line);',
    'setTimeout(() => console.log("later"), 100);',
  ].join('\n'),
  'typed.ts':
    'import { twice } from "./util.js";\ninterface P { x: number }\nconst p: P = { x: twice(21) };\nconsole.log("ts", p.x);\n',
  'util.ts': 'export const twice = (n: number): number => 2 * n;\n',
  'spin.py': 'print("spinning", flush=True)\nwhile True:\n    pass\n',
  'flood.py': 'i = 0\nwhile True:\n    print(f"{i:08d}", "x" * 990)\n    i += 1\n',
  'spy.js': [
    'const tries = {',
    '  localStorage: () => typeof localStorage === "undefined" ? "none" : localStorage.length,',
    '  sessionStorage: () => typeof sessionStorage === "undefined" ? "none" : sessionStorage.length,',
    '  document: () => typeof document === "undefined" ? "none" : document.cookie,',
    '  parent: () => typeof parent === "undefined" ? "none" : String(parent.location.href),',
    '  origin: () => self.origin,',
    '};',
    'for (const [name, f] of Object.entries(tries)) {',
    '  try { console.log(name + ": " + f()); } catch (e) { console.log(name + ": refused " + e.name); }',
    '}',
    'await new Promise((resolve) => {',
    '  try {',
    '    const open = indexedDB.open("tandem-spy");',
    '    open.onsuccess = () => { console.log("indexedDB: opened"); resolve(); };',
    '    open.onerror = () => { console.log("indexedDB: refused " + open.error?.name); resolve(); };',
    '  } catch (e) { console.log("indexedDB: refused " + e.name); resolve(); }',
    '});',
  ].join('\n'),
} as const;

let server: TestServer;
let browser: Browser;
let teacher: Awaited<ReturnType<typeof newPage>>;
let student: Awaited<ReturnType<typeof newPage>>;
let observer: Awaited<ReturnType<typeof newPage>>;
/** Requests of the instructor's page (its frames and workers too) that went anywhere but the test server. */
const elsewhere: string[] = [];
const pyodideFiles = new Set<string>();

const output = (page: Page) => page.locator('[data-testid="run-output"]');
const panel = (page: Page) => page.locator('[data-testid="run-panel"]');

async function openFile(page: Page, name: string): Promise<void> {
  await page.locator('[data-testid="file-entry"]', { hasText: name }).click();
  await page.locator('[data-testid="run-button"]', { hasText: name }).waitFor({ timeout: 10_000 });
}

/** Waits for the run shown on `page` to end; returns its outcome. */
async function ended(page: Page, timeoutMs = 30_000): Promise<string> {
  await page.locator('[data-testid="run-panel"][data-phase="ended"]').waitFor({ timeout: timeoutMs });
  return (await panel(page).getAttribute('data-outcome')) ?? '';
}

async function runnerFrame(page: Page): Promise<Frame> {
  return waitFor(() => page.frames().find((f) => f.url().endsWith('/runner.html')) ?? null, {
    timeoutMs: 10_000,
    message: 'runner frame',
  }).then((f) => f!);
}

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startTestServer({ RUN_TIME_LIMIT_SECONDS: String(TIME_LIMIT_SECONDS) });
  const seed = connectCollab(
    server,
    'class1/code/main',
    await server.token({ sub: 'seed', role: 'instructor' }),
  );
  await seed.synced();
  for (const [name, content] of Object.entries(FILES))
    createCodeFile(seed.doc, { id: name.replace('.', '-'), name, content, createdBy: 'seed' });
  await seed.saved();
  seed.destroy();

  browser = await launchBrowser();
  teacher = await newPage(browser);
  student = await newPage(browser);
  observer = await newPage(browser);
  teacher.context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${server.httpUrl}/`) && !/^(blob|data):/.test(url)) elsewhere.push(url);
    if (url.includes('/runner/pyodide/')) pyodideFiles.add(url.slice(url.lastIndexOf('/') + 1));
  });
  await openClass(teacher.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace' });
  await openClass(student.page, server, { sub: 'linus', role: 'student', name: 'Linus Torvalds' });
  await waitForEditor(teacher.page);
  await waitForEditor(student.page);
  await openClass(observer.page, server, { sub: 'olga', role: 'observer', name: 'Olga Observer' });
  await waitForEditor(observer.page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('running code', () => {
  it('runs Python with stdin and a second file; the student sees the same output as it streams', async () => {
    const { page } = teacher;
    await openFile(page, 'greet.py');
    await page.locator('[data-testid="stdin-toggle"]').click();
    await page.locator('[data-testid="stdin-input"]').fill('Ada\nmore input\n');
    await page.locator('[data-testid="run-button"]').click();
    expect(await ended(page, 60_000)).toBe('ok');
    const text = await output(page).textContent();
    expect(text).toContain('name? hello Ada');
    expect(text).toContain('rest: more input');
    expect(text).toContain('twice: 42');
    expect(text).toContain('oops');
    await expect.poll(() => output(student.page).textContent(), { timeout: 10_000 }).toContain('twice: 42');
    expect(await ended(student.page)).toBe('ok');
    expect(await output(student.page).textContent()).toBe(text);
    expect(await panel(student.page).textContent()).toContain('run by Ada Lovelace');
    // stderr is set apart.
    expect(await student.page.locator('.run-stderr').textContent()).toContain('oops');
  }, 120_000);

  it('runs JavaScript (timers awaited, prompt reads stdin) and TypeScript importing another file, for the room', async () => {
    const { page } = teacher;
    await openFile(page, 'hello.js');
    await page.locator('[data-testid="stdin-input"]').fill('from stdin\n');
    await page.locator('[data-testid="run-button"]').click();
    expect(await ended(page)).toBe('ok');
    expect(await output(page).textContent()).toBe('js says 42 { a: [ 1, 2 ] }\nread from stdin\nlater\n');
    await expect.poll(() => output(student.page).textContent(), { timeout: 10_000 }).toContain('later');

    await openFile(page, 'typed.ts');
    await page.locator('[data-testid="run-button"]').click();
    expect(await ended(page)).toBe('ok');
    expect(await output(page).textContent()).toBe('ts 42\n');
    await expect.poll(() => output(student.page).textContent(), { timeout: 10_000 }).toBe('ts 42\n');
  });

  it('stops a runaway loop at the time limit, for everyone', async () => {
    const { page } = teacher;
    await openFile(page, 'spin.py');
    await page.locator('[data-testid="run-button"]').click();
    await page.locator('[data-testid="run-panel"][data-phase="running"]').waitFor({ timeout: 60_000 });
    const started = Date.now();
    await expect.poll(() => output(student.page).textContent(), { timeout: 10_000 }).toContain('spinning');
    // Streamed: the student has the output while the run is still going.
    expect(await panel(student.page).getAttribute('data-phase')).toBe('running');
    expect(await ended(page, 20_000)).toBe('timeout');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThan(TIME_LIMIT_SECONDS * 1000 - 1500);
    expect(elapsed).toBeLessThan(TIME_LIMIT_SECONDS * 1000 + 5000);
    expect(await ended(student.page)).toBe('timeout');
    expect(await page.locator('[data-testid="run-status"]').textContent()).toContain('time limit');

    // The Stop button ends a run at once, and the next run works (a fresh interpreter).
    await page.locator('[data-testid="run-button"]').click();
    await page.locator('[data-testid="run-panel"][data-phase="running"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="stop-button"]').click();
    expect(await ended(page, 5000)).toBe('stopped');
    expect(await ended(student.page)).toBe('stopped');
  }, 120_000);

  it('caps the output: the program is stopped and the output marked truncated, for everyone', async () => {
    const { page } = teacher;
    await openFile(page, 'flood.py');
    await page.locator('[data-testid="run-button"]').click();
    expect(await ended(page, 60_000)).toBe('output_limit');
    const text = (await output(page).textContent()) ?? '';
    expect(text).toContain('output truncated');
    // 1 MiB of output (the default cap), and not much more.
    expect(text.length).toBeGreaterThan(1000 * 1000);
    expect(text.length).toBeLessThan(1024 * 1024 + 1000);
    expect(await ended(student.page, 40_000)).toBe('output_limit');
    await expect
      .poll(async () => ((await output(student.page).textContent()) ?? '').length, { timeout: 10_000 })
      .toBe(text.length);
  }, 120_000);

  it("lets an observer watch the room's runs, and run code that only they see", async () => {
    const { page } = teacher;
    await openFile(page, 'typed.ts');
    await page.locator('[data-testid="run-button"]').click();
    expect(await ended(page)).toBe('ok');
    const teacherRun = await panel(page).getAttribute('data-run-id');
    await expect
      .poll(() => panel(observer.page).getAttribute('data-run-id'), { timeout: 10_000 })
      .toBe(teacherRun);
    expect(await output(observer.page).textContent()).toBe('ts 42\n');

    expect(await observer.page.locator('[data-testid="run-bar"]').textContent()).toContain(
      'Only you see your runs',
    );
    await openFile(observer.page, 'hello.js');
    await observer.page.locator('[data-testid="run-button"]').click();
    expect(await ended(observer.page)).toBe('ok');
    expect(await panel(observer.page).textContent()).toContain('only you see it');
    expect(await output(observer.page).textContent()).toContain('js says 42');
    // Nobody else got it: the others still show the instructor's run.
    expect(await panel(student.page).getAttribute('data-run-id')).toBe(teacherRun);
    expect(await panel(page).getAttribute('data-run-id')).toBe(teacherRun);
  });

  it('keeps code in the runner away from the token, storage, cookies, the page and IndexedDB', async () => {
    const { page } = teacher;
    const token = await page.evaluate(() => sessionStorage.getItem(Object.keys(sessionStorage)[0] ?? ''));
    expect(token).toBeTruthy();
    await openFile(page, 'spy.js');
    await page.locator('[data-testid="run-button"]').click();
    expect(await ended(page)).toBe('ok');
    const text = await output(page).textContent();
    expect(text).toContain('localStorage: none');
    expect(text).toContain('sessionStorage: none');
    expect(text).toContain('document: none');
    expect(text).toContain('parent: none');
    expect(text).toContain('origin: null');
    expect(text).toMatch(/indexedDB: refused \w+/);
    expect(text).not.toContain(token!);

    // The runner page itself (where the worker comes from) is in an opaque origin too.
    const frame = await runnerFrame(page);
    const attempts = await frame.evaluate(async () => {
      const attempt = (f: () => unknown) => {
        try {
          return `read ${String(f())}`;
        } catch (e) {
          return `refused ${(e as Error).name}`;
        }
      };
      const idb = await new Promise<string>((resolve) => {
        try {
          const open = indexedDB.open('tandem-spy');
          open.onsuccess = () => resolve('opened');
          open.onerror = () => resolve(`refused ${open.error?.name}`);
        } catch (e) {
          resolve(`refused ${(e as Error).name}`);
        }
      });
      return {
        origin: self.origin,
        localStorage: attempt(() => localStorage.length),
        sessionStorage: attempt(() => sessionStorage.length),
        cookie: attempt(() => document.cookie),
        parentDom: attempt(() => window.parent.document.title),
        parentStorage: attempt(() => (window.parent as Window).sessionStorage.length),
        indexedDB: idb,
      };
    });
    expect(attempts).toEqual({
      origin: 'null',
      localStorage: expect.stringMatching(/^refused/),
      sessionStorage: expect.stringMatching(/^refused/),
      cookie: expect.stringMatching(/^refused/),
      parentDom: expect.stringMatching(/^refused/),
      parentStorage: expect.stringMatching(/^refused/),
      indexedDB: expect.stringMatching(/^refused/),
    });
    const sandbox = await page.locator('[data-testid="runner-frame"]').getAttribute('sandbox');
    expect(sandbox).toBe('allow-scripts');
  });

  it('keeps the class page on its strict CSP while the runner has its own, and loads nothing from elsewhere', async () => {
    const page = await fetch(`${server.httpUrl}/c/class1`);
    const runner = await fetch(`${server.httpUrl}/runner.html`);
    expect(page.headers.get('content-security-policy')).not.toContain('wasm-unsafe-eval');
    expect(runner.headers.get('content-security-policy')).toContain("'wasm-unsafe-eval'");
    expect(runner.headers.get('content-security-policy')).toContain('sandbox allow-scripts');
    expect(teacher.errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
    // Pyodide and everything else came from Tandem itself: no CDN, no other network.
    expect(elsewhere).toEqual([]);
    expect([...pyodideFiles].sort()).toEqual([
      'pyodide-lock.json',
      'pyodide.asm.mjs',
      'pyodide.asm.wasm',
      'pyodide.mjs',
      'python_stdlib.zip',
    ]);
  });

  it("runs a student's workspace from the wall for staff only: the student's output panel stays empty", async () => {
    const linusToken = await server.token({ sub: 'linus', role: 'student', name: 'Linus Torvalds' });
    const seed = connectCollab(server, 'class1/ws/linus', linusToken);
    await seed.synced();
    createCodeFile(seed.doc, {
      id: 'wall-js',
      name: 'wall.js',
      content: 'console.log("from the wall", 6 * 7);\n',
      createdBy: 'linus',
    });
    await seed.saved();
    seed.destroy();
    const mine = student.page.locator('[data-testid="my-workspace"]');
    await student.page.locator('[data-code-view="mine"]').click();
    await mine.locator('[data-testid="file-entry"]', { hasText: 'wall.js' }).waitFor({ timeout: 20_000 });

    const { page } = teacher;
    await page.locator('.workspace [data-tab="wall"]').click();
    await page.locator('[data-testid="wall-tile"][data-user="linus"]').click();
    const detail = page.locator('[data-testid="wall-detail"]');
    await detail.locator('[data-testid="file-entry"]', { hasText: 'wall.js' }).click();
    const runBar = detail.locator('[data-testid="run-bar"]');
    await runBar.locator('[data-testid="run-button"]', { hasText: 'wall.js' }).waitFor({ timeout: 10_000 });
    expect(await runBar.textContent()).toContain('Only staff see the output');
    await runBar.locator('[data-testid="run-button"]').click();
    await detail.locator('[data-testid="run-panel"][data-phase="ended"]').waitFor({ timeout: 30_000 });
    expect(await detail.locator('[data-testid="run-panel"]').getAttribute('data-outcome')).toBe('ok');
    expect(await detail.locator('[data-testid="run-output"]').textContent()).toBe('from the wall 42\n');

    // A line the instructor types after the run travels on the same connection after the run's events: once
    // the student sees it, the run would have reached their panel had it been relayed to them.
    await detail.locator('[data-testid="code-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// checked by Ada');
    await mine.locator('.view-line', { hasText: 'checked by Ada' }).waitFor({ timeout: 10_000 });
    expect(await mine.locator('[data-testid="run-panel"]').count()).toBe(0);

    // The student's own run of the same workspace still reaches the instructor's open tile.
    await mine.locator('[data-testid="run-button"]').click();
    await mine.locator('[data-testid="run-panel"][data-phase="ended"]').waitFor({ timeout: 30_000 });
    const studentRun = await mine.locator('[data-testid="run-panel"]').getAttribute('data-run-id');
    await expect
      .poll(() => detail.locator('[data-testid="run-panel"]').getAttribute('data-run-id'), {
        timeout: 10_000,
      })
      .toBe(studentRun);
    expect(await detail.locator('[data-testid="run-panel"]').textContent()).toContain(
      'run by Linus Torvalds',
    );
  }, 120_000);
});
