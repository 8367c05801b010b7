// Issue #10: API responses and refusals carry the same security headers as pages do (nosniff,
// Referrer-Policy, a CSP that renders nothing, no caching): JSON answers, errors, 404s, /metrics and
// refused upgrades alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { openWs } from './netClients.ts';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ DEV_TOKENS: '1', MAX_SOCKETS_PER_ADDRESS: '1' });
});
afterEach(async () => {
  await server.stop();
});

const EXPECTED = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
};

function expectApiHeaders(get: (name: string) => string | null | undefined): void {
  for (const [name, value] of Object.entries(EXPECTED)) expect(get(name), name).toBe(value);
}

describe('security headers', () => {
  it.each([
    ['GET', '/healthz', 200],
    ['GET', '/readyz', 200],
    ['GET', '/metrics', 200],
    ['GET', '/api/media/status', 200],
    ['GET', '/api/nothing-here', 404],
    ['GET', '/api/classes/class1/chat/main/messages', 401],
    ['POST', '/api/dev/token', 400],
    ['GET', '/examples/nothing', 404],
  ])('%s %s → %i with the API headers', async (method, path, status) => {
    const res = await fetch(`${server.httpUrl}${path}`, { method });
    expect(res.status).toBe(status);
    expectApiHeaders((name) => res.headers.get(name));
  });

  it('a rate-limited answer says when to retry', async () => {
    const held = openWs(server, '/collab');
    expect(await held.opened).toBe(true);
    const refused = openWs(server, '/collab');
    const outcome = await refused.ended;
    expect(outcome).toMatchObject({ kind: 'refused', status: 429 });
    if (outcome.kind !== 'refused') return;
    expect(outcome.headers['retry-after']).toBe('10');
    expectApiHeaders((name) => outcome.headers[name] as string | undefined);
    held.ws.close();
  });

  it('refused upgrades carry them too', async () => {
    const outcome = await openWs(server, '/nowhere').ended;
    expect(outcome).toMatchObject({ kind: 'refused', status: 404 });
    if (outcome.kind === 'refused') expectApiHeaders((name) => outcome.headers[name] as string | undefined);
  });

  it('pages keep their own, richer policy', async () => {
    const res = await fetch(`${server.httpUrl}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
