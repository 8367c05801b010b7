// Builds the server for running: server/src/main.ts and everything of the project's own it imports (the
// shared protocol package included) as plain JavaScript in server/build/, npm packages left as imports. Each
// module that is imported lazily (PostgreSQL, the cluster) stays a chunk of its own, loaded only when used.
// Running this instead of TypeScript through a loader at run time saves the loader and the names it attaches
// to every function (docs/benchmarks.md, idle memory).
//   node scripts/build-server.mjs [entry.ts] [outdir]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds `entry` into `outdir` (emptied first) and returns the path of the file to run, `outdir/main.mjs`.
 * Synchronous (a fraction of a second), so a test helper can build before it spawns.
 */
export function buildServer(
  entry = path.join(ROOT, 'server/src/main.ts'),
  outdir = path.join(ROOT, 'server/build'),
) {
  // Chunk names change with their content: the last build's would stay behind.
  fs.rmSync(outdir, { recursive: true, force: true });
  buildSync({
    entryPoints: { main: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    sourcemap: true,
    // npm packages stay imports; the workspace's protocol package is TypeScript source and is built in.
    packages: 'external',
    alias: { '@tandem/shared': path.join(ROOT, 'shared/src/index.ts') },
    // ES modules whatever the nearest package.json says.
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return path.join(outdir, 'main.mjs');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry, outdir] = process.argv.slice(2);
  buildServer(entry && path.resolve(entry), outdir && path.resolve(outdir));
}
