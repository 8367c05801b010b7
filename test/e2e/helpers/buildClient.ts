// Builds client/dist once when it is missing or older than its sources, so e2e tests always drive the
// current client. A lock directory keeps two test processes from building at the same time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How often a test waiting for another process's client build checks its lock. */
const LOCK_POLL_MS = 500;

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DIST_INDEX = path.join(REPO_ROOT, 'client/dist/index.html');
const SOURCES = [
  'client/src',
  'client/index.html',
  'client/runner.html',
  'client/vite.config.ts',
  'client/vite.runner.config.ts',
  'shared/src',
];
const LOCK = path.join(REPO_ROOT, 'client/.build-lock');

function newestMtimeMs(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry))
    newest = Math.max(newest, newestMtimeMs(path.join(entry, child)));
  return newest;
}

export function clientIsStale(): boolean {
  const built = fs.statSync(DIST_INDEX, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return SOURCES.some((s) => newestMtimeMs(path.join(REPO_ROOT, s)) > built);
}

export async function ensureClientBuilt(): Promise<void> {
  if (!clientIsStale()) return;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Another process is building (or died building: a lock older than 3 minutes is taken over).
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 180_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another client build');
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
  }
  try {
    if (!clientIsStale()) return;
    execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      cwd: path.join(REPO_ROOT, 'client'),
      // vitest sets NODE_ENV=test, which would give a development React build.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 170_000,
    });
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
