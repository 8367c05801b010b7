// Page-level helpers for e2e tests: open a class as someone, wait for the editor, type, read text.
import type { Role } from '@tandem/shared';
import type { Page } from 'playwright-core';
import type { TestServer } from '../../helpers/server.ts';

export async function openClass(
  page: Page,
  server: TestServer,
  user: { sub: string; role: Role; name?: string; cls?: string },
  path = `/c/${user.cls ?? 'class1'}`,
): Promise<void> {
  const token = await server.token({
    sub: user.sub,
    role: user.role,
    cls: user.cls ?? 'class1',
    name: user.name ?? user.sub,
  });
  await page.goto(`${server.httpUrl}${path}#token=${token}`);
}

/** Waits until the editor shows a file and the server has answered (writable or read-only). */
export async function waitForEditor(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="code-editor"] .view-lines', { timeout: 20_000 });
  await page.waitForFunction(
    () => document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') !== 'connecting',
    null,
    {
      timeout: 20_000,
    },
  );
}

/** The text of the editor's model (Monaco renders only visible lines, so read the model). */
export function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('[data-testid="code-editor"] .view-line')];
    return lines
      .sort(
        (a, b) =>
          Number.parseFloat((a as HTMLElement).style.top) - Number.parseFloat((b as HTMLElement).style.top),
      )
      .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
  });
}

export async function clickIntoEditor(page: Page): Promise<void> {
  await page.click('[data-testid="code-editor"] .view-lines');
}

/**
 * Pastes `text` at the cursor of the focused editor as one edit, as a real paste does. (Playwright's
 * `keyboard.insertText` reaches Monaco's native EditContext one character at a time: one Yjs update each.)
 */
export async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await page.evaluate((pasted) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', pasted);
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * Waits until every edit made so far is written to the page's IndexedDB copy (y-indexeddb writes each update in
 * its own transaction; a read-only transaction started now waits for those started before it), as a person's
 * edits are long before they close the tab.
 */
export async function waitForLocalCopy(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const names = (await indexedDB.databases())
      .map((db) => db.name ?? '')
      .filter((n) => n.startsWith('tandem:'));
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      if (db.objectStoreNames.contains('updates')) {
        const tx = db.transaction(['updates'], 'readonly');
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
    }
  });
}
