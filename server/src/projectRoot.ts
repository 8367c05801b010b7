// The repository's root (where client/ and docs/ are) and the built browser client in it, found from this
// module's own place: the same from the TypeScript source (server/src) and from the built server (server/build,
// scripts/build-server.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'client', 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Tandem checkout (client/package.json) above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The built browser client (client/dist: the app, the runner page and their assets). */
export const CLIENT_DIST = path.join(PROJECT_ROOT, 'client/dist');
