// Signs HS256 tokens with the server's secret: used by the dev/demo token endpoint and by tests.

import type { Role } from '@tandem/shared';
import { SignJWT } from 'jose';

export interface MintOptions {
  sub: string;
  name: string;
  cls: string;
  role: Role;
  ttlSeconds?: number;
}

export async function mintToken(secret: string, options: MintOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: options.name, cls: options.cls, role: options.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .sign(new TextEncoder().encode(secret));
}
