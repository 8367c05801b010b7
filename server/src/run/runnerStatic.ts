// Serves the code runner: /runner.html (the sandboxed page the class page frames to run code, with its own
// Content-Security-Policy), its script under /runner/, and Pyodide from the npm package under
// /runner/pyodide/<version>/ (the standard library only; never a CDN). The runner runs in an opaque origin
// (`sandbox` without allow-same-origin), so its fetches of these files are cross-origin: they, and only they,
// carry `Access-Control-Allow-Origin: *`.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import sirv from 'sirv';
import type { AppContext } from '../app.ts';
import { type RequestContext, sendText } from '../http/router.ts';
import { CLIENT_DIST } from '../projectRoot.ts';

const RUNNER_HTML = path.join(CLIENT_DIST, 'runner.html');
const RUNNER_ASSETS = path.join(CLIENT_DIST, 'runner');

/** The meta tag through which the runner page learns its limits and where Pyodide is. */
export const RUNNER_META = 'tandem-runner';
/** The Pyodide files a run loads: the loader, the runtime, the standard library and the package list. */
const PYODIDE_FILES = new Set([
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
]);

export interface PyodideDist {
  version: string;
  dir: string;
}

/** The installed npm package `pyodide`, or null when it is not installed. */
export function findPyodide(): PyodideDist | null {
  try {
    const manifest = createRequire(import.meta.url).resolve('pyodide/package.json');
    const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
    return { version, dir: path.dirname(manifest) };
  } catch {
    return null;
  }
}

/**
 * The runner page's policy: scripts from this server (the runner and Pyodide), WebAssembly compilation, and
 * workers and the run's own code from blob: URLs the runner makes; fetches only to this server; nothing else.
 * `sandbox allow-scripts` keeps it in an opaque origin even when opened directly rather than framed.
 */
export function runnerContentSecurityPolicy(embedOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self' blob: 'wasm-unsafe-eval'",
    'worker-src blob:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${["'self'", ...embedOrigins].join(' ')}`,
    'sandbox allow-scripts',
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** runner.html with its settings (limits, Pyodide's folder) in a meta tag. */
export function withRunnerSettings(html: string, settings: Record<string, unknown>): string {
  const meta = `<meta name="${RUNNER_META}" content="${escapeAttribute(JSON.stringify(settings))}" />`;
  return html.replace('</head>', `    ${meta}\n  </head>`);
}

/** Static files for the runner, readable from its opaque origin, cached for a year (their paths are versioned). */
function crossOriginFiles(dir: string) {
  const serve = sirv(dir, { maxAge: 31_536_000, immutable: true, dev: false, etag: true });
  return ({ req, res }: RequestContext) =>
    new Promise<void>((resolve) => {
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('cross-origin-resource-policy', 'cross-origin');
      res.on('finish', () => resolve());
      res.on('close', () => resolve());
      serve(req, res, () => {
        sendText(res, 404, 'not found', 'text/plain');
        resolve();
      });
    });
}

export function installRunnerRoutes(ctx: AppContext): void {
  const pyodide = findPyodide();
  const hasRunner = fs.existsSync(RUNNER_HTML);
  const settings = {
    timeLimitMs: ctx.config.run.timeLimitMs,
    maxOutputBytes: ctx.config.run.maxOutputBytes,
    pyodidePath: pyodide ? `/runner/pyodide/${pyodide.version}/` : null,
  };
  const html = hasRunner ? withRunnerSettings(fs.readFileSync(RUNNER_HTML, 'utf8'), settings) : null;
  const csp = runnerContentSecurityPolicy(ctx.config.embedOrigins);

  ctx.router.on(['GET', 'HEAD'], '/runner.html', ({ res }: { res: ServerResponse }) => {
    if (!html) return sendText(res, 404, 'the runner is not built (npm run build -w client)', 'text/plain');
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cache-control', 'no-cache');
    sendText(res, 200, html, 'text/html; charset=utf-8');
  });

  if (hasRunner) {
    const runnerFiles = crossOriginFiles(RUNNER_ASSETS);
    ctx.router.on(['GET', 'HEAD'], '/runner/:file', (rc) => {
      rc.req.url = `/${rc.params.file ?? ''}`;
      return runnerFiles(rc);
    });
  }

  if (pyodide) {
    const pyodideFiles = crossOriginFiles(pyodide.dir);
    ctx.router.on(['GET', 'HEAD'], '/runner/pyodide/:version/:file', (rc) => {
      const { version, file } = rc.params;
      if (version !== pyodide.version || !file || !PYODIDE_FILES.has(file))
        return sendText(rc.res, 404, 'not found', 'text/plain');
      // sirv looks the file up by the request's path: give it the file's name within the package.
      rc.req.url = `/${file}`;
      return pyodideFiles(rc);
    });
  }
}
