// Course platforms signing with their own keys: a PEM public key, or a JWKS URL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';

const claims = { name: 'Ana', cls: 'class1', role: 'student' };
const sign = (key: CryptoKey, alg: string, kid?: string) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setSubject('ana')
    .setExpirationTime('10m')
    .sign(key);

async function outcome(server: Awaited<ReturnType<typeof startTestServer>>, token: string) {
  const c = connectCollab(server, 'class1/code/main', token);
  try {
    return await waitFor(() => c.scope() ?? (c.closes[0] ? `closed ${c.closes[0].code}` : undefined));
  } finally {
    c.destroy();
  }
}

describe('asymmetric tokens', () => {
  it('accepts tokens signed with the configured PEM public key (RS256 and ES256)', async () => {
    for (const alg of ['RS256', 'ES256']) {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const server = await startTestServer({ AUTH_SECRET: '', AUTH_PUBLIC_KEY: await exportSPKI(publicKey) });
      try {
        expect(await outcome(server, await sign(privateKey, alg))).toBe('read-write');
        const stranger = await generateKeyPair(alg);
        expect(await outcome(server, await sign(stranger.privateKey, alg))).toBe('closed 4401');
        // No shared secret configured: HS256 is refused outright.
        expect(await outcome(server, await server.token({ sub: 'ana', role: 'student' }))).toBe(
          'closed 4401',
        );
      } finally {
        await server.stop();
      }
    }
  });

  it('accepts tokens whose key comes from a JWKS URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const server = await startTestServer({ AUTH_SECRET: '', AUTH_JWKS_URL: jwksUrl });
    try {
      expect(await outcome(server, await sign(privateKey, 'RS256', 'k1'))).toBe('read-write');
      const stranger = await generateKeyPair('RS256');
      expect(await outcome(server, await sign(stranger.privateKey, 'RS256', 'k1'))).toBe('closed 4401');
    } finally {
      await server.stop();
      jwks.close();
    }
  });
});
