// POST /api/dev/token: mints a token for anyone who asks. Only installed when DEV_TOKENS (or DEMO) is on.

import { idSchema, ROLES } from '@tandem/shared';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { parseWith, type Router, readJson, sendJson } from '../http/router.ts';
import { mintToken } from './tokens.ts';

const requestSchema = z.object({
  sub: idSchema,
  name: z.string().trim().min(1).max(80),
  cls: idSchema,
  role: z.enum(ROLES),
  ttlSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600)
    .optional(),
});

export function installDevTokenRoutes(router: Router, secret: string | undefined): void {
  router.on('POST', '/api/dev/token', async ({ req, res }) => {
    if (!secret) throw new AppError('unavailable', 'dev tokens need an HS256 secret (AUTH_SECRET)');
    const body = parseWith(requestSchema, await readJson(req, 4096));
    const token = await mintToken(secret, body);
    sendJson(res, 200, { token, expiresIn: body.ttlSeconds ?? 3600 });
  });
}
