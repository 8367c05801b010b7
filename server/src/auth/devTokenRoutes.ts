// POST /api/dev/token: mints a token for anyone who asks. Only installed when DEV_TOKENS (or DEMO) is on.

import { idSchema, ROLES } from '@tandem/shared';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { parseWith, type Router, readJson, sendJson } from '../http/router.ts';
import { mintToken } from './tokens.ts';

const requestSchema = v.object({
  sub: idSchema,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
  cls: idSchema,
  role: v.picklist(ROLES),
  ttlSeconds: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(10), v.maxValue(7 * 24 * 3600))),
});

export function installDevTokenRoutes(router: Router, secret: string | undefined): void {
  router.on('POST', '/api/dev/token', async ({ req, res }) => {
    if (!secret) throw new AppError('unavailable', 'dev tokens need an HS256 secret (AUTH_SECRET)');
    const body = parseWith(requestSchema, await readJson(req, 4096));
    const token = await mintToken(secret, body);
    sendJson(res, 200, { token, expiresIn: body.ttlSeconds ?? 3600 });
  });
}
