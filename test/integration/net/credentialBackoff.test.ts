// Issue #10 point 5: bad API keys and tokens cannot be tried at full speed. Failures from one address draw
// on a small budget; then new credentials from it are refused unchecked (429 / 4429 with Retry-After), while
// tokens that already verified keep working, so an attacker behind a school's address cannot lock it out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const API_KEY = 'platform-key-0123456789';
const ROOM = '/api/classes/class1/chat/main/messages';
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({
    API_KEYS: API_KEY,
    AUTH_FAILURE_BURST: '3',
    AUTH_FAILURES_PER_MIN: '1',
    TRUSTED_PROXIES: '127.0.0.1',
  });
});
afterEach(async () => {
  await server.stop();
});

async function get(bearer: string, forwardedFor?: string): Promise<Response> {
  return fetch(`${server.httpUrl}${ROOM}`, {
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
  });
}

const token = (sub: string) => server.token({ sub, role: 'student' });

describe('back-off on bad credentials', () => {
  it('counts failures only: many valid sign-ins from one address pass', async () => {
    for (let i = 0; i < 10; i++) expect((await get(await token(`s${i}`))).status).toBe(200);
    expect((await get('bad.token.here')).status).toBe(401);
  });

  it('after the failure budget, new credentials are refused with 429 and Retry-After', async () => {
    const signedIn = await token('signed-in');
    expect((await get(signedIn)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get(`guess-${i}`)).status).toBe(401);
    const refused = await get('guess-4');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Guessing API keys is refused unchecked too: even the right key gets no answer about itself.
    expect((await get(API_KEY)).status).toBe(429);
    expect((await get(await token('never-seen'))).status).toBe(429);
    // A token that already verified still works: the school's students stay signed in.
    expect((await get(signedIn)).status).toBe(200);
    // Another address is not affected.
    expect((await get('guess-5', '203.0.113.9')).status).toBe(401);
    expect((await get(await token('elsewhere'), '203.0.113.9')).status).toBe(200);
  });

  it('on /collab: a blocked address gets 4429; a signed-in student still connects', async () => {
    const signedIn = await token('signed-in');
    const first = connectCollab(server, 'class1/code/main', signedIn);
    await first.synced();
    first.destroy();
    for (let i = 0; i < 3; i++) expect((await get(`guess-${i}`)).status).toBe(401);

    const attacker = connectCollab(server, 'class1/code/main', 'another-guess');
    await waitFor(() => attacker.closes.length > 0);
    expect(attacker.closes[0]).toMatchObject({
      code: 4429,
      reason: expect.stringContaining('retry in 60 s'),
    });
    attacker.destroy();

    const again = connectCollab(server, 'class1/code/main', signedIn);
    await again.synced();
    again.destroy();
  });
});
