// Issue #10 point 5: connections cannot be held open for free. Headers that trickle in, bodies that never
// finish and WebSockets that never authenticate are closed within their deadlines (short ones here).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { connectRaw, openWs } from './netClients.ts';

const HEADERS_TIMEOUT_MS = 400;
const BODY_TIMEOUT_MS = 400;
const AUTH_TIMEOUT_MS = 400;
/** Deadlines are checked about every 100 ms here; allow for a loaded machine, still far from minutes. */
const SLACK_MS = 1500;

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({
    DEV_TOKENS: '1',
    HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    AUTH_TIMEOUT_MS: String(AUTH_TIMEOUT_MS),
  });
});
afterEach(async () => {
  await server.stop();
});

/** Sends one more header line every 50 ms until the server closes the connection. */
async function trickle(requestLine: string): Promise<{ closedAfterMs: number; response: string }> {
  const conn = await connectRaw(server);
  conn.socket.write(`${requestLine}\r\nHost: x\r\n`);
  let n = 0;
  const timer = setInterval(() => {
    if (!conn.socket.destroyed) conn.socket.write(`X-Slow-${n++}: y\r\n`);
  }, 50);
  try {
    const closedAfterMs = await conn.closed;
    return { closedAfterMs, response: conn.received() };
  } finally {
    clearInterval(timer);
  }
}

describe('deadlines', () => {
  it.each(['GET /collab HTTP/1.1', 'GET /yjs/class1/code/main HTTP/1.1', 'GET /healthz HTTP/1.1'])(
    'headers trickled after "%s" → 408 and closed within the headers deadline',
    async (line) => {
      const { closedAfterMs, response } = await trickle(line);
      expect(response).toMatch(/^HTTP\/1\.1 408/);
      expect(closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      expect(closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    },
  );

  it('a request body that never finishes → 400 JSON and closed within the body deadline', async () => {
    const conn = await connectRaw(server);
    conn.socket.write(
      'POST /api/dev/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sub":',
    );
    const closedAfterMs = await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 400/);
    expect(conn.received()).toContain(`request body not received within ${BODY_TIMEOUT_MS / 1000} s`);
    expect(closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + SLACK_MS);
  });

  it('a body that ends in time is served', async () => {
    const res = await fetch(`${server.httpUrl}/api/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ sub: 'a', name: 'A', cls: 'class1', role: 'student' }),
    });
    expect(res.status).toBe(200);
  });

  it('a socket that never authenticates → 4401 within the deadline; an authenticated one stays', async () => {
    const client = connectCollab(
      server,
      'class1/code/main',
      await server.token({ sub: 'stu', role: 'student' }),
    );
    await client.synced();
    const startedAt = Date.now();
    const idle = openWs(server, '/collab');
    expect(await idle.opened).toBe(true);
    expect(await idle.ended).toMatchObject({
      kind: 'closed',
      code: 4401,
      reason: `authenticate within ${AUTH_TIMEOUT_MS / 1000} s`,
    });
    const closedAfterMs = Date.now() - startedAt;
    expect(closedAfterMs).toBeGreaterThanOrEqual(AUTH_TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(AUTH_TIMEOUT_MS + SLACK_MS);
    // The idle socket's deadline has passed; the authenticated socket (older) is still open.
    expect(client.closes).toEqual([]);
    client.doc.getText('t').insert(0, 'still here');
    await client.saved();
    client.destroy();
  });
});
