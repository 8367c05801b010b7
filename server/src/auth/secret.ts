// Resolves the HS256 secret: AUTH_SECRET when set; otherwise (when no asymmetric key is configured either)
// a random secret created once under DATA_DIR with owner-only permissions, so a fresh install is never
// left with a guessable default.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export function resolveAuthSecret(config: Config, log: Logger): string | undefined {
  if (config.auth.secret) return config.auth.secret;
  if (config.auth.publicKeyPem || config.auth.jwksUrl) return undefined;
  const file = path.join(config.dataDir, '.auth-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // Not created yet.
  }
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  log.warn(
    { file },
    'AUTH_SECRET is not set: generated a random secret; set AUTH_SECRET to share it with your course platform',
  );
  return secret;
}
