// A cluster node's front door, with two in-process nodes on PostgreSQL and Redis: class-scoped requests go to
// the owner, a class whose holder is gone is refused with 503 and Retry-After (REST and upgrades), a forwarded
// request is never forwarded twice, and only a peer's signed header names the client's address.
import type { IncomingMessage } from 'node:http';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PEER_HEADER, signPeerHeader } from '../../../server/src/cluster/peerHeader.ts';
import { connectCollab } from '../../helpers/collabClient.ts';
import { freePort } from '../../helpers/freePort.ts';
import { createTestSchema } from '../../helpers/pg.ts';
import { createRedisSpace, type RedisTestSpace } from '../../helpers/redis.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const SECRET = 'cluster-secret-cluster-secret-0123456789';
const IDLE_RELEASE_MS = 1000;
const cleanup: (() => unknown)[] = [];
let redis: RedisTestSpace;
let a: TestServer;
let b: TestServer;
let schema: Awaited<ReturnType<typeof createTestSchema>>;

beforeEach(async () => {
  redis = await createRedisSpace();
  cleanup.push(() => redis.drop());
  schema = await createTestSchema();
  cleanup.push(() => schema.drop());
  const node = async (nodeId: string) => {
    const port = await freePort();
    const server = await startTestServer({
      PORT: String(port),
      DATABASE_URL: schema.schemaUrl,
      REDIS_URL: redis.url,
      NODE_ID: nodeId,
      CLUSTER_ADVERTISE_URL: `http://127.0.0.1:${port}`,
      CLUSTER_SECRET: SECRET,
      CLUSTER_KEY_PREFIX: redis.keyPrefix,
      CLUSTER_IDLE_RELEASE_MS: String(IDLE_RELEASE_MS),
    });
    cleanup.push(() => server.stop());
    return server;
  };
  a = await node('a');
  b = await node('b');
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const leaseOf = (classId: string) => redis.connect().get(`${redis.keyPrefix}lease:${classId}`);

async function state(server: TestServer, classId: string, headers: Record<string, string> = {}) {
  const token = await server.token({ sub: 'ines', role: 'instructor', cls: classId });
  return fetch(`${server.httpUrl}/api/classes/${classId}/state`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

/** The HTTP status a WebSocket upgrade got (101 when it opened). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', reject);
  });
}

describe('cluster routing', () => {
  it('the first node asked owns the class; the other answers through it', async () => {
    expect((await state(a, 'c1')).status).toBe(200);
    expect(await leaseOf('c1')).toMatch(/^\d+ a$/);
    const viaB = await state(b, 'c1');
    expect(viaB.status).toBe(200);
    expect(await leaseOf('c1')).toMatch(/^\d+ a$/);
    // b did not answer itself: with a's port closed (its lease and registry entry still live) b says 502.
    await new Promise<void>((resolve) => {
      a.tandem.server.close(() => resolve());
      a.tandem.server.closeAllConnections();
    });
    const unreachable = await state(b, 'c1');
    expect(unreachable.status).toBe(502);
    expect((await unreachable.json()).error.code).toBe('unavailable');
  });

  it('a class held by a node no longer registered: 503 with Retry-After, for REST and upgrades', async () => {
    await redis.connect().set(`${redis.keyPrefix}lease:ghost`, '7 gone-node', 'PX', 30_000);
    const reply = await state(a, 'ghost');
    expect(reply.status).toBe(503);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await reply.json()).error.code).toBe('unavailable');
    expect(await upgradeStatus(`${a.wsUrl}/collab?class=ghost`)).toBe(503);
    expect(await upgradeStatus(`${a.wsUrl}/media?class=ghost`)).toBe(503);
    expect(await upgradeStatus(`${a.wsUrl}/yjs/ghost%2Fcode%2Fmain`)).toBe(503);
    // A class nobody holds is taken by the node asked, and its upgrade opens.
    expect(await upgradeStatus(`${a.wsUrl}/collab?class=free`)).toBe(101);
    expect(await leaseOf('free')).toMatch(/^\d+ a$/);
  });

  it('a request a peer forwarded is not forwarded again; a forged peer header is just ignored', async () => {
    expect((await state(b, 'c2')).status).toBe(200);
    const signed = signPeerHeader(SECRET, { nodeId: 'b', address: '203.0.113.5' });
    const hop = await state(a, 'c2', { [PEER_HEADER]: signed });
    expect(hop.status).toBe(503);
    expect(hop.headers.get('retry-after')).toBe('1');
    const forged = signPeerHeader('f'.repeat(40), { nodeId: 'b', address: '203.0.113.5' });
    expect((await state(a, 'c2', { [PEER_HEADER]: forged })).status).toBe(200);
  });

  it('the client address is the one a peer signed for, else the connection’s own', () => {
    const req = (headers: Record<string, string>) =>
      ({ headers, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;
    const { clientAddress } = a.tandem.ctx;
    const signed = signPeerHeader(SECRET, { nodeId: 'b', address: '203.0.113.5' });
    expect(clientAddress(req({ [PEER_HEADER]: signed }))).toBe('203.0.113.5');
    const forged = signPeerHeader('f'.repeat(40), { nodeId: 'b', address: '203.0.113.5' });
    expect(clientAddress(req({ [PEER_HEADER]: forged }))).toBe('127.0.0.1');
    expect(clientAddress(req({ [PEER_HEADER]: 'b;203.0.113.5;99999999999999;x' }))).toBe('127.0.0.1');
  });

  it('a class idle here is released; one with an open document is kept', async () => {
    expect((await state(a, 'idle')).status).toBe(200);
    const token = await a.token({ sub: 'sam', role: 'student', cls: 'busy' });
    const client = connectCollab(a, 'busy/code/main', token);
    cleanup.push(() => client.destroy());
    await client.synced();
    expect(await leaseOf('idle')).toMatch(/ a$/);
    await waitFor(async () => (await leaseOf('idle')) === null, { timeoutMs: 5 * IDLE_RELEASE_MS });
    expect(await leaseOf('busy')).toMatch(/ a$/);
    // The next request anywhere takes it again.
    expect((await state(b, 'idle')).status).toBe(200);
    expect(await leaseOf('idle')).toMatch(/ b$/);
  });

  it('a lease counter behind the fence in PostgreSQL (Redis lost its data) is moved past it', async () => {
    const db = new pg.Client({ connectionString: schema.url, options: `-c search_path=${schema.schema}` });
    await db.connect();
    cleanup.push(() => db.end());
    await db.query(`INSERT INTO class_fences (class_id, token) VALUES ('reset', 50)`);
    const first = await state(a, 'reset');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await state(a, 'reset')).status).toBe(200);
    expect(await leaseOf('reset')).toBe('51 a');
    const { rows } = await db.query(`SELECT token FROM class_fences WHERE class_id = 'reset'`);
    expect(Number(rows[0].token)).toBe(51);
  });

  it('a document of a class owned elsewhere, on a socket that named no class, closes the socket with 4503', async () => {
    expect((await state(a, 'c3')).status).toBe(200);
    const token = await b.token({ sub: 'sam', role: 'student', cls: 'c3' });
    const client = connectCollab(b, 'c3/code/main', token);
    cleanup.push(() => client.destroy());
    await waitFor(() => client.closes.length > 0, { timeoutMs: 5000 });
    expect(client.closes[0]?.code).toBe(4503);
    // Closed before the refusal went out: the client reconnects instead of taking its token as refused.
    expect(client.denied).toEqual([]);
    expect(await leaseOf('c3')).toMatch(/ a$/);
  });

  it('hands and chat of one class work whichever node each person reaches', async () => {
    const call = async (
      server: TestServer,
      sub: string,
      role: 'student' | 'instructor',
      method: string,
      path: string,
      body?: unknown,
    ) => {
      const token = await server.token({ sub, role, cls: 'room' });
      const reply = await fetch(`${server.httpUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: reply.status, body: await reply.json() };
    };
    // The session is started at one node, and the other knows it is live (both reach the owner).
    const started = await call(a, 'ines', 'instructor', 'POST', '/api/classes/room/sessions', {
      startNow: true,
    });
    expect(started.status).toBeLessThan(300);
    expect((await call(b, 'sam', 'student', 'POST', '/api/classes/room/hands')).status).toBe(200);
    expect((await call(a, 'lea', 'student', 'POST', '/api/classes/room/hands')).status).toBe(200);
    const hands = await call(a, 'ines', 'instructor', 'GET', '/api/classes/room/hands');
    expect(hands.body.queue.map((h: { userId: string }) => h.userId)).toEqual(['sam', 'lea']);
    expect(
      (await call(b, 'sam', 'student', 'POST', '/api/classes/room/chat/main/messages', { text: 'hi' }))
        .status,
    ).toBe(201);
    expect(
      (await call(a, 'lea', 'student', 'POST', '/api/classes/room/chat/main/messages', { text: 'hello' }))
        .status,
    ).toBe(201);
    const viaA = await call(a, 'ines', 'instructor', 'GET', '/api/classes/room/chat/main/messages');
    const viaB = await call(b, 'ines', 'instructor', 'GET', '/api/classes/room/chat/main/messages');
    expect(viaB.body).toEqual(viaA.body);
    expect(JSON.stringify(viaA.body)).toMatch(/"hi".*"hello"|"hello".*"hi"/s);
  });
});
