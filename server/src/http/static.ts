// Serves the built browser client (client/dist): index.html for the app's routes with security headers
// (strict CSP, framing allowed only for embeds and only by EMBED_ORIGINS), hashed assets with long-lived
// caching, and the example embed host page. Without a build it answers with a plain explanatory page.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import sirv from 'sirv';
import type { AppContext } from '../app.ts';
import { CLIENT_DIST, PROJECT_ROOT } from '../projectRoot.ts';
import { sendText } from './router.ts';

const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'docs/examples');
/** A Map, not an object: the file name comes from the URL (`/examples/constructor` must be a 404). */
const EXAMPLE_FILES: ReadonlyMap<string, string> = new Map([
  ['embed-host.html', 'text/html; charset=utf-8'],
  ['embed-host.js', 'text/javascript; charset=utf-8'],
]);
const NOT_BUILT =
  '<!doctype html><title>Tandem</title><p>Tandem is running. The browser client is not built yet (scripts/setup.sh builds it).</p>';

/** The meta tag through which the client learns which origins may embed it (the same list as the CSP). */
export const EMBED_ORIGINS_META = 'tandem-embed-origins';

export type PageKind = 'app' | 'embed';

/** Content-Security-Policy for a page; `frame-ancestors` only admits embedding hosts on embed pages. */
export function contentSecurityPolicy(kind: PageKind | 'asset', embedOrigins: readonly string[]): string {
  const frameAncestors = kind === 'embed' ? ["'self'", ...embedOrigins].join(' ') : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    // Monaco injects <style> elements at runtime (themes, decorations).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    // 'self' covers same-origin ws:/wss: (CSP Level 3).
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** Security headers for an HTML page of the app (`app`) or an embed (`embed`). */
export function pageHeaders(kind: PageKind, embedOrigins: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(kind, embedOrigins),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
    'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=()',
  };
  // X-Frame-Options cannot list several origins: only set it where it agrees with frame-ancestors.
  if (kind === 'app') {
    headers['x-frame-options'] = 'DENY';
    headers['cross-origin-opener-policy'] = 'same-origin';
  } else if (embedOrigins.length === 0) headers['x-frame-options'] = 'SAMEORIGIN';
  return headers;
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** index.html with the embed-origins meta tag added to <head>. */
export function withEmbedOrigins(indexHtml: string, embedOrigins: readonly string[]): string {
  const meta = `<meta name="${EMBED_ORIGINS_META}" content="${escapeAttribute(embedOrigins.join(' '))}" />`;
  return indexHtml.replace('</head>', `    ${meta}\n  </head>`);
}

function sendPage(res: ServerResponse, html: string, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  sendText(res, 200, html, 'text/html; charset=utf-8');
}

export function installStaticRoutes(ctx: AppContext): void {
  const embedOrigins = ctx.config.embedOrigins;
  const hasBuild = fs.existsSync(path.join(CLIENT_DIST, 'index.html'));
  const indexHtml = hasBuild ? fs.readFileSync(path.join(CLIENT_DIST, 'index.html'), 'utf8') : NOT_BUILT;
  const embedHtml = hasBuild ? withEmbedOrigins(indexHtml, embedOrigins) : NOT_BUILT;
  const appHeaders = pageHeaders('app', embedOrigins);
  const embedPageHeaders = pageHeaders('embed', embedOrigins);

  const appPage = ({ res }: { res: ServerResponse }) => sendPage(res, indexHtml, appHeaders);
  // HEAD too (link checkers, `curl -I`); Node leaves the body out of HEAD responses by itself.
  for (const route of ['/', '/demo', '/c/*', '/replay/*']) ctx.router.on(['GET', 'HEAD'], route, appPage);
  ctx.router.on(['GET', 'HEAD'], '/embed/*', ({ res }) => sendPage(res, embedHtml, embedPageHeaders));

  ctx.router.on('GET', '/examples/:file', ({ res, params }) => {
    const file = params.file ?? '';
    const type = EXAMPLE_FILES.get(file);
    if (!type) return sendText(res, 404, 'not found', 'text/plain');
    const body = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
    // default-src 'self' also lets the example frame this origin's /embed pages.
    res.setHeader('content-security-policy', contentSecurityPolicy('app', embedOrigins));
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    sendText(res, 200, body, type);
  });

  if (!hasBuild) return;
  // Asset names carry a content hash: cache them for a year. The build writes .br/.gz copies next to them.
  const assets = sirv(CLIENT_DIST, {
    maxAge: 31_536_000,
    immutable: true,
    dev: false,
    etag: true,
    brotli: true,
    gzip: true,
  });
  const assetCsp = contentSecurityPolicy('asset', embedOrigins);
  ctx.router.on(
    ['GET', 'HEAD'],
    '/assets/*',
    ({ req, res }) =>
      new Promise<void>((resolve) => {
        res.setHeader('x-content-type-options', 'nosniff');
        // Workers (Monaco's editor worker) take their CSP from their own response.
        res.setHeader('content-security-policy', assetCsp);
        res.on('finish', () => resolve());
        res.on('close', () => resolve());
        assets(req, res, () => {
          sendText(res, 404, 'not found', 'text/plain');
          resolve();
        });
      }),
  );
}
