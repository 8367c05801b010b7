import type { TokenClaims } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { CredentialGuard } from '../../../server/src/auth/CredentialGuard.ts';
import { AppError } from '../../../server/src/errors.ts';

const START_MS = 1_000_000_000;
const claims = { sub: 'u', cls: 'c', role: 'student', name: 'U', exp: START_MS / 1000 + 1 } as TokenClaims;
const verifier = {
  async verify(token: string | undefined | null) {
    if (token?.startsWith('good')) return claims;
    throw new AppError('unauthorized', 'bad token');
  },
};

describe('CredentialGuard', () => {
  it('blocks an address after its failure burst, refills at the per-minute rate', async () => {
    let now = START_MS;
    let refusals = 0;
    const guard = new CredentialGuard(
      verifier,
      { failureBurst: 2, failuresPerMin: 6 },
      () => refusals++,
      () => now,
    );
    const v = guard.forAddress('a');
    await expect(v.verify('x')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(v.verify('y')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(v.verify('good-1')).rejects.toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSec: 10 },
    });
    expect(refusals).toBe(1);
    await expect(guard.forAddress('b').verify('good-1')).resolves.toBe(claims);
    now += 10_000;
    await expect(v.verify('good-1')).resolves.toBe(claims);
  });

  it('counts no failure for a missing token, and lets known-good tokens through a block until they expire', async () => {
    let now = START_MS;
    const guard = new CredentialGuard(verifier, { failureBurst: 1, failuresPerMin: 1 }, undefined, () => now);
    const v = guard.forAddress('a');
    await expect(v.verify(undefined)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(v.verify('good-known')).resolves.toBe(claims);
    await expect(v.verify('bad')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(v.verify('bad')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(v.verify('good-known')).resolves.toBe(claims);
    now = claims.exp * 1000;
    await expect(v.verify('good-known')).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
