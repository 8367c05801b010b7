// Token verification with the verified-token memory (server/src/auth/verifiedTokens.ts): a token that verified
// is answered from memory until it expires, and nothing else is: not a tampered copy, not an expired token, not
// past the memory's own limit. The clock is the verifier's injectable one, which jose checks `exp` against too.
import { describe, expect, it } from 'vitest';
import { mintToken } from '../../../server/src/auth/tokens.ts';
import { MAX_ENTRY_MS, VerifiedTokens } from '../../../server/src/auth/verifiedTokens.ts';
import { createTokenVerifier } from '../../../server/src/auth/verifier.ts';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

async function verifierAt(clock: { t: number }) {
  return createTokenVerifier({
    secret: SECRET,
    publicKeyPem: undefined,
    jwksUrl: undefined,
    issuer: undefined,
    audience: undefined,
    now: () => clock.t,
  });
}

const ana = { sub: 'ana', name: 'Ana', cls: 'class1', role: 'student' as const };

describe('token verifier', () => {
  it('answers a token that verified from memory, and verifies any other string in full', async () => {
    const clock = { t: Date.now() };
    const verifier = await verifierAt(clock);
    const token = await mintToken(SECRET, { ...ana, ttlSeconds: 600 });
    const first = await verifier.verify(token);
    expect(first).toMatchObject({ sub: 'ana', cls: 'class1', role: 'student' });
    const again = await verifier.verify(token);
    expect(again).toEqual(first);
    // From memory: the remembered copy is frozen, a freshly verified one is not.
    expect(Object.isFrozen(first)).toBe(false);
    expect(Object.isFrozen(again)).toBe(true);
    // The same header and claims with another signature: refused although the genuine token is remembered.
    const [head, body, signature] = token.split('.');
    const forged = `${head}.${body}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verifier.verify(forged)).rejects.toThrow(/bad token signature|invalid token/);
    const other = await mintToken('another-secret-that-is-long-enough-9876543210', ana);
    await expect(verifier.verify(other)).rejects.toThrow(/bad token signature/);
  });

  it('refuses a remembered token once it has expired (after the clock tolerance)', async () => {
    const clock = { t: Date.now() };
    const verifier = await verifierAt(clock);
    const token = await mintToken(SECRET, { ...ana, ttlSeconds: 30 });
    await verifier.verify(token);
    clock.t += 30_000 + 4_000; // within the 5 s tolerance
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'ana' });
    clock.t += 2_000;
    await expect(verifier.verify(token)).rejects.toThrow(/token expired/);
  });
});

describe('verified-token memory', () => {
  const claims = { ...ana, exp: 2_000_000_000 };

  it('keeps an entry at most MAX_ENTRY_MS, and never past the token expiry', () => {
    const memory = new VerifiedTokens(5_000);
    memory.add('t', claims, 1_000);
    expect(memory.get('t', 1_000 + MAX_ENTRY_MS - 1)).toEqual(claims);
    expect(memory.get('t', 1_000 + MAX_ENTRY_MS)).toBeUndefined();
    expect(memory.size).toBe(0);
    const soon = { ...claims, exp: 100 };
    memory.add('s', soon, 99_000);
    expect(memory.get('s', 104_999)).toEqual(soon);
    expect(memory.get('s', 105_000)).toBeUndefined();
    memory.add('late', soon, 200_000);
    expect(memory.size).toBe(0);
  });

  it('is bounded: the oldest entries go first', () => {
    const memory = new VerifiedTokens(5_000, 3);
    for (const t of ['a', 'b', 'c', 'd']) memory.add(t, claims, 0);
    expect(memory.size).toBe(3);
    expect(memory.get('a', 1)).toBeUndefined();
    expect(memory.get('d', 1)).toEqual(claims);
  });
});
