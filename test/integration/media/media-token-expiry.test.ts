// Token expiry on /media against the real worker: ~30 s before the join token expires the server sends
// `tokenExpiring`; without a `refreshToken` the socket closes with 4401 "token expired" at expiry and
// everything the peer owned is closed; a fresh token keeps the session (and its media) going; a token for
// someone or somewhere else is refused and changes nothing.
import { CLOSE_CODES, MEDIA_PROTOCOL_VERSION } from '@tandem/shared';
import { decodeJwt } from 'jose';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaServiceOf } from '../../../server/src/media/index.ts';
import type { MediaService } from '../../../server/src/media/MediaService.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type JoinOptions, startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaRequestError, MediaSignalClient } from '../../helpers/weriftSignal.ts';

/** Short enough to expire during a test, long enough (2-3 s left after rounding) to set up first. */
const SHORT_TTL_SECONDS = 3;
let server: TestServer;
let service: MediaService;
const cleanup: { close(): void }[] = [];

// The server runs in this process, so mediasoup's observer sees every Router, transport and producer.
const routers: ms.Router[] = [];
const transports: ms.Transport[] = [];
const producers: ms.Producer[] = [];
mediasoup.observer.on('newworker', (worker) => {
  worker.observer.on('newrouter', (router) => {
    routers.push(router);
    router.observer.on('newtransport', (transport) => {
      transports.push(transport);
      transport.observer.on('newproducer', (producer) => producers.push(producer));
    });
  });
});
const routerOf = (classId: string) => routers.find((r) => r.appData.classId === classId && !r.closed);

async function join(opts: JoinOptions) {
  const peer = await WeriftMediaPeer.join(server, opts);
  cleanup.push(peer);
  return peer;
}

async function shortToken(sub: string, cls: string, role: 'student' | 'instructor' = 'instructor') {
  const token = await server.token({ sub, role, cls, ttlSeconds: SHORT_TTL_SECONDS });
  return { token, expiresAtMs: (decodeJwt(token).exp ?? 0) * 1000 };
}

/** Sessions closed for an expired token so far (the auth failures metric). */
async function expiredCount(): Promise<number> {
  const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
  return Number(/tandem_auth_failures_total\{reason="media_expired"\} (\d+)/.exec(metrics)?.[1] ?? 0);
}

async function refusal(promise: Promise<unknown>): Promise<MediaRequestError> {
  const error = await promise.then(
    () => new Error('expected the request to be refused'),
    (e: unknown) => e,
  );
  if (!(error instanceof MediaRequestError)) throw error;
  return error;
}

beforeAll(async () => {
  server = await startMediaServer();
  service = mediaServiceOf(server.tandem.ctx)!;
});
afterEach(() => {
  for (const c of cleanup.splice(0)) c.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('media token expiry', () => {
  it('asks for a fresh token, then closes with 4401 at expiry and closes what the peer owned', async () => {
    const expiredBefore = await expiredCount();
    const { token, expiresAtMs } = await shortToken('ada', 'exp1');
    const peer = await join({ sub: 'ada', role: 'instructor', cls: 'exp1', token });
    const mic = await peer.publish('mic');
    const router = routerOf('exp1')!;
    const owned = transports.filter((t) => t.appData.peerId === peer.peerId);
    const producer = producers.find((p) => p.id === mic.producerId)!;
    expect(owned).toHaveLength(1);
    expect(producer.closed).toBe(false);

    // Already within 30 s of expiry at join: asked right away (after the join reply).
    expect(await peer.signal.waitForNotification('tokenExpiring')).toEqual({ expiresAtMs });
    expect(await peer.signal.waitForClose()).toEqual({
      code: CLOSE_CODES.unauthorized,
      reason: 'token expired',
    });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAtMs);
    expect(peer.signal.received('tokenExpiring')).toHaveLength(1);

    await waitFor(() => router.closed, { message: 'the Router of the class closes with its last peer' });
    expect(owned.every((t) => t.closed)).toBe(true);
    expect(producer.closed).toBe(true);
    expect(service.counts()).toMatchObject({ classes: 0, peers: 0, producers: { audio: 0, video: 0 } });
    expect(await expiredCount()).toBe(expiredBefore + 1);
  });

  it('keeps a peer that answers with a fresh token past the first expiry, with its media flowing', async () => {
    const { token, expiresAtMs } = await shortToken('ada', 'exp2');
    const teacher = await join({ sub: 'ada', role: 'instructor', cls: 'exp2', token });
    // Answer tokenExpiring like a client does (the notice arrives right after the join reply).
    const refreshed = teacher.signal.waitForNotification('tokenExpiring').then(async () => {
      const fresh = await server.token({ sub: 'ada', role: 'instructor', cls: 'exp2' });
      return teacher.signal.request('refreshToken', { token: fresh });
    });
    const student = await join({ sub: 'bea', role: 'student', cls: 'exp2' });
    const mic = await teacher.publish('mic');
    const audio = await student.consume(mic.producerId);
    const { expiresAtMs: newExpiresAtMs } = await refreshed;
    expect(newExpiresAtMs).toBeGreaterThan(expiresAtMs + 3_000_000);

    await waitFor(() => Date.now() > expiresAtMs + 1000, { timeoutMs: 10_000, message: 'first expiry' });
    const packetsAfterExpiry = audio.packets;
    await waitFor(() => audio.packets > packetsAfterExpiry + 10, { message: 'media keeps flowing' });
    expect((await teacher.signal.request('ping')).serverTimeMs).toBeGreaterThan(expiresAtMs);
    expect(await teacher.signal.request('pauseProducer', { producerId: mic.producerId })).toEqual({});
    expect(teacher.signal.closed).toBeUndefined();
    expect(teacher.signal.received('tokenExpiring')).toHaveLength(1);
    expect(student.signal.received('peerLeft')).toEqual([]);
    const userIds = service.peers('exp2').map((p) => p.userId);
    expect(userIds.sort()).toEqual(['ada', 'bea']);
  });

  it('refuses a fresh token for another user, class or role, and the session goes on unchanged', async () => {
    const { token, expiresAtMs } = await shortToken('ada', 'exp3');
    const peer = await join({ sub: 'ada', role: 'instructor', cls: 'exp3', token });
    await peer.signal.waitForNotification('tokenExpiring');
    const refresh = async (opts: Parameters<TestServer['token']>[0]) =>
      refusal(peer.signal.request('refreshToken', { token: await server.token(opts) }));

    const otherUser = await refresh({ sub: 'mallory', role: 'instructor', cls: 'exp3' });
    expect(otherUser.code).toBe('forbidden');
    expect(otherUser.message).toContain('another user or class');
    const otherClass = await refresh({ sub: 'ada', role: 'instructor', cls: 'elsewhere' });
    expect(otherClass.code).toBe('forbidden');
    expect(otherClass.message).toContain('another user or class');
    const otherRole = await refresh({ sub: 'ada', role: 'student', cls: 'exp3' });
    expect(otherRole.code).toBe('forbidden');
    expect(otherRole.message).toContain('role changes need a new connection');
    const expired = await refresh({ sub: 'ada', role: 'instructor', cls: 'exp3', ttlSeconds: -2 });
    expect(expired.code).toBe('unauthorized');
    const forged = await refusal(peer.signal.request('refreshToken', { token: `${token.slice(0, -4)}AAAA` }));
    expect(forged.code).toBe('unauthorized');

    // Still the same session: it answers, the identity is as joined, and the original expiry stands.
    expect(await peer.signal.request('ping')).toHaveProperty('serverTimeMs');
    expect(service.peers('exp3')).toEqual([
      { peerId: peer.peerId, userId: 'ada', name: 'ada', role: 'instructor', grant: null },
    ]);
    expect(await peer.signal.waitForClose()).toEqual({
      code: CLOSE_CODES.unauthorized,
      reason: 'token expired',
    });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAtMs);
  });

  it('stops the token clock when the peer leaves before its token expires', async () => {
    const before = await expiredCount();
    const { token, expiresAtMs } = await shortToken('ada', 'exp5');
    const peer = await join({ sub: 'ada', role: 'instructor', cls: 'exp5', token });
    await peer.signal.waitForNotification('tokenExpiring');
    await peer.signal.request('leave');
    expect((await peer.signal.waitForClose()).code).toBe(CLOSE_CODES.normal);
    await waitFor(() => Date.now() > expiresAtMs + 500, { timeoutMs: 10_000, message: 'past the expiry' });
    expect(await expiredCount()).toBe(before);
  });

  it('refuses refreshToken before join, and the connection can still join', async () => {
    const signal = await MediaSignalClient.connect(server.wsUrl);
    cleanup.push(signal);
    const token = await server.token({ sub: 'ada', role: 'student', cls: 'exp4' });
    const early = await refusal(signal.request('refreshToken', { token }));
    expect(early.code).toBe('unauthorized');
    expect(early.message).toContain('join first');
    const joined = await signal.request('join', {
      protocol: MEDIA_PROTOCOL_VERSION,
      token,
      classId: 'exp4',
      rtpCapabilities: {},
    });
    expect(joined.you.userId).toBe('ada');
    // An hour-long token is not near expiry: no notice, and a refresh is accepted.
    const fresh = await server.token({ sub: 'ada', role: 'student', cls: 'exp4', ttlSeconds: 7200 });
    const { expiresAtMs } = await signal.request('refreshToken', { token: fresh });
    expect(expiresAtMs).toBe((decodeJwt(fresh).exp ?? 0) * 1000);
    expect(signal.received('tokenExpiring')).toEqual([]);
    expect(signal.closed).toBeUndefined();
  });
});
