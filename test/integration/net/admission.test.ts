// Issue #10 point 5: caps per client address and per user on WebSocket connections, X-Forwarded-For believed
// only from TRUSTED_PROXIES, and one message budget shared by all sockets of a user.
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { openWs, type RawWs } from './netClients.ts';

let server: TestServer | undefined;
const open: RawWs[] = [];
const clients: CollabClient[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) s.ws.terminate();
  for (const c of clients.splice(0)) c.destroy();
  await server?.stop();
  server = undefined;
});

async function start(env: Record<string, string>): Promise<TestServer> {
  server = await startTestServer(env);
  return server;
}

function ws(s: TestServer, forwardedFor?: string): RawWs {
  const socket = openWs(s, '/collab', forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});
  open.push(socket);
  return socket;
}

describe('per-address socket cap', () => {
  it('refuses the N+1th socket from one address with 429, and admits again once one closes', async () => {
    const s = await start({ MAX_SOCKETS_PER_ADDRESS: '3' });
    const held = [ws(s), ws(s), ws(s)];
    for (const h of held) expect(await h.opened).toBe(true);
    expect(await ws(s).ended).toMatchObject({ kind: 'refused', status: 429 });
    held[0]!.ws.close();
    await held[0]!.ended;
    await waitFor(async () => (await ws(s).opened) === true);
  });

  it('X-Forwarded-For names the client when the peer is a trusted proxy', async () => {
    const s = await start({ MAX_SOCKETS_PER_ADDRESS: '2', TRUSTED_PROXIES: '127.0.0.0/8' });
    for (const h of [ws(s, '203.0.113.7'), ws(s, '203.0.113.7')]) expect(await h.opened).toBe(true);
    expect(await ws(s, '203.0.113.7').ended).toMatchObject({ kind: 'refused', status: 429 });
    // Another student behind the same proxy is another client; so is one several proxies away.
    expect(await ws(s, '203.0.113.8').opened).toBe(true);
    expect(await ws(s, '198.51.100.1, 127.0.0.1').opened).toBe(true);
  });

  it('X-Forwarded-For from an untrusted peer is ignored', async () => {
    const s = await start({ MAX_SOCKETS_PER_ADDRESS: '2', TRUSTED_PROXIES: '10.0.0.0/8' });
    for (const h of [ws(s, '203.0.113.1'), ws(s, '203.0.113.2')]) expect(await h.opened).toBe(true);
    expect(await ws(s, '203.0.113.3').ended).toMatchObject({ kind: 'refused', status: 429 });
  });

  it('the default admits a school behind one address', async () => {
    const s = await start({});
    const many = Array.from({ length: 150 }, () => ws(s));
    expect((await Promise.all(many.map((h) => h.opened))).every(Boolean)).toBe(true);
  });
});

describe('per-user caps', () => {
  it('a user over MAX_SOCKETS_PER_USER is refused with 4429; other users are not', async () => {
    const s = await start({ MAX_SOCKETS_PER_USER: '2' });
    const token = await s.token({ sub: 'stu', role: 'student' });
    for (let i = 0; i < 2; i++) {
      const c = connectCollab(s, 'class1/code/main', token);
      clients.push(c);
      await c.synced();
    }
    const third = connectCollab(s, 'class1/code/main', token);
    clients.push(third);
    await waitFor(() => third.closes.length > 0);
    expect(third.closes[0]).toMatchObject({
      code: 4429,
      reason: expect.stringContaining('too many connections'),
    });
    const other = connectCollab(s, 'class1/code/main', await s.token({ sub: 'other', role: 'student' }));
    clients.push(other);
    await other.synced();
  });

  it('sockets of one user share one message budget', async () => {
    const s = await start({ USER_RATE_LIMIT_MESSAGES_PER_SEC: '1', USER_RATE_LIMIT_BURST: '30' });
    const token = await s.token({ sub: 'stu', role: 'student' });
    const sockets = [ws(s), ws(s), ws(s)];
    for (const h of sockets) {
      expect(await h.opened).toBe(true);
      const answered = new Promise((resolve) => h.ws.once('message', resolve));
      h.ws.send(frame('class1/code/main', (e) => writeAuth(e, token)));
      await answered;
    }
    // 12 small messages per socket: far below the per-connection limit, 36 together above the user's 30.
    const query = frame('class1/code/main', (e) => encoding.writeVarUint(e, 3));
    for (const h of sockets) for (let i = 0; i < 12; i++) h.ws.send(query);
    expect(await Promise.any(sockets.map((h) => h.ended))).toMatchObject({
      kind: 'closed',
      code: 4429,
      reason: expect.stringContaining('your connections'),
    });
  });
});

function frame(doc: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, doc);
  write(e);
  return encoding.toUint8Array(e);
}

function writeAuth(e: encoding.Encoder, token: string): void {
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint(e, 0);
  encoding.writeVarString(e, token);
}
