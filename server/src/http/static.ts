// Serves the built browser client (client/dist) with its SPA routes; a plain page when it is not built.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import type { AppContext } from '../app.ts';
import { sendText } from './router.ts';

const CLIENT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../client/dist');

export function installStaticRoutes(ctx: AppContext): void {
  const hasBuild = fs.existsSync(path.join(CLIENT_DIST, 'index.html'));
  const assets = hasBuild ? sirv(CLIENT_DIST, { immutable: true, dev: false, etag: true }) : undefined;
  const indexHtml = hasBuild ? fs.readFileSync(path.join(CLIENT_DIST, 'index.html'), 'utf8') : undefined;

  const page = ({ res }: { res: import('node:http').ServerResponse }) => {
    res.setHeader('x-content-type-options', 'nosniff');
    sendText(
      res,
      200,
      indexHtml ??
        '<!doctype html><title>Tandem</title><p>Tandem is running. The browser client is not built yet (scripts/setup.sh builds it).</p>',
      'text/html; charset=utf-8',
    );
  };
  ctx.router.on('GET', '/', page);
  ctx.router.on('GET', '/demo', page);
  ctx.router.on('GET', '/c/*', page);
  ctx.router.on('GET', '/embed/*', page);
  if (assets) {
    ctx.router.on(
      'GET',
      '/assets/*',
      ({ req, res }) =>
        new Promise<void>((resolve) => {
          assets(req, res, () => {
            sendText(res, 404, 'not found', 'text/plain');
            resolve();
          });
          res.on('finish', () => resolve());
        }),
    );
  }
}
