// Builds the server for running: server/src/main.ts, the shared protocol package and the npm packages they use
// as plain JavaScript in server/build/, whitespace removed and ASCII only. Each module that is imported lazily
// (PostgreSQL, the cluster, the SFU) stays a chunk of its own, loaded only when used. What this saves against
// TypeScript through a loader, and against packages loaded file by file as published, is measured in
// docs/benchmarks.md (idle memory): V8 keeps the source text of every module it runs, and holds text with one
// non-ASCII character in it at two bytes a character.
//   node scripts/build-server.mjs [entry.ts] [outdir] [--packages external]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages that stay imports: native addons (their binaries are found beside their own files), pino (its
 * transports run files of their own in worker threads), the drivers loaded only with DATABASE_URL or
 * REDIS_URL, the in-browser Python whose files are served as they are, and optional native helpers of ws and
 * pg that may not be installed.
 */
const EXTERNAL = [
  'better-sqlite3',
  'mediasoup',
  'pino',
  'pg',
  'pg-native',
  'ioredis',
  'pyodide',
  'bufferutil',
  'utf-8-validate',
];

/**
 * Builds `entry` into `outdir` (emptied first) and returns the path of the file to run, `outdir/main.mjs`.
 * `packages: 'external'` leaves every npm package an import, loaded as published (how the benchmarks run
 * the stock servers Tandem is compared with). Synchronous (a fraction of a second), so a test helper can
 * build before it spawns.
 */
export function buildServer(
  entry = path.join(ROOT, 'server/src/main.ts'),
  outdir = path.join(ROOT, 'server/build'),
  { packages = 'bundle' } = {},
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
    ...(packages === 'external'
      ? { packages: 'external' }
      : {
          external: EXTERNAL,
          // CommonJS packages built in call require() for Node's own modules.
          banner: {
            js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
          },
        }),
    // The workspace's protocol package is TypeScript source.
    alias: { '@tandem/shared': path.join(ROOT, 'shared/src/index.ts') },
    minifyWhitespace: true,
    minifySyntax: true,
    // Names are not minified: that would hold 0.5 MiB less source text idle, but stack traces would name
    // minified functions, and esbuild's keepNames (which restores `name`) redefines `name` on every closure
    // created, which puts ~18 closures per document and connection in dictionary mode (+4 KiB each).
    charset: 'ascii',
    // The licence comments of built-in packages go to a file of their own beside the code.
    legalComments: 'linked',
    // ES modules whatever the nearest package.json says.
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return path.join(outdir, 'main.mjs');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--packages');
  const packages = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const [entry, outdir] = args;
  buildServer(entry && path.resolve(entry), outdir && path.resolve(outdir), { packages });
}
