// Lifecycle against the real worker: Routers open on first join (once, however many join at once) and
// close with the last peer; leaving, dropping the socket or missing heartbeats closes everything a peer
// owned; a dead worker is replaced and its classes are told to reconnect.
import { CLOSE_CODES, MEDIA_PROTOCOL_VERSION } from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaServiceOf } from '../../../server/src/media/index.ts';
import type { MediaService } from '../../../server/src/media/MediaService.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaSignalClient } from '../../helpers/weriftSignal.ts';

const HEARTBEAT_MS = 200;
let server: TestServer;
let service: MediaService;
const cleanup: { close(): void }[] = [];

// The server runs in this process, so mediasoup's observer sees every worker, Router and transport.
const workers: ms.Worker[] = [];
const routers: ms.Router[] = [];
const transports: ms.Transport[] = [];
mediasoup.observer.on('newworker', (worker) => {
  workers.push(worker);
  worker.observer.on('newrouter', (router) => {
    routers.push(router);
    router.observer.on('newtransport', (transport) => {
      transport.appData.classId = router.appData.classId;
      transports.push(transport);
    });
  });
});
const routersOf = (classId: string) => routers.filter((r) => r.appData.classId === classId);
const openTransportsOf = (classId: string) =>
  transports.filter((t) => !t.closed && t.appData.classId === classId);

async function join(sub: string, cls: string, role: 'student' | 'instructor' = 'student') {
  const peer = await WeriftMediaPeer.join(server, { sub, role, cls });
  cleanup.push(peer);
  return peer;
}

beforeAll(async () => {
  server = await startMediaServer({ MEDIA_HEARTBEAT_MS: String(HEARTBEAT_MS) });
  service = mediaServiceOf(server.tandem.ctx)!;
});
afterEach(() => {
  for (const c of cleanup.splice(0)) c.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('media lifecycle', () => {
  it('leaving or dropping the socket closes what the peer owned, and the Router with the last peer', async () => {
    const events: string[] = [];
    service.on('peerLeft', (e) => events.push(`left:${e.userId}:${e.reason}`));
    service.on('classClosed', (e) => events.push(`closed:${e.classId}:${e.reason}`));
    const teacher = await join('teacher', 'life1', 'instructor');
    const student = await join('student', 'life1');
    await teacher.publish('mic');
    const studentMic = await student.publish('mic');
    await student.consume(teacher.published.get('mic')!.producerId);
    expect(routersOf('life1')).toHaveLength(1);
    const router = routersOf('life1')[0]!;
    const studentTransports = transports.filter((t) => t.appData.peerId === student.peerId);
    expect(studentTransports).toHaveLength(2);

    await student.signal.request('leave');
    expect(await student.signal.waitForClose()).toEqual({
      code: CLOSE_CODES.normal,
      reason: 'left the class media',
    });
    expect(await teacher.signal.waitForNotification('peerLeft')).toEqual({
      peerId: student.peerId,
      reason: 'left',
    });
    const closed = await teacher.signal.waitForNotification('producerClosed');
    expect(closed).toEqual({
      producerId: studentMic.producerId,
      peerId: student.peerId,
      reason: 'peer-left',
    });
    expect(studentTransports.every((t) => t.closed)).toBe(true);
    expect(router.closed).toBe(false);

    teacher.signal.terminate();
    await waitFor(() => router.closed);
    expect(transports.filter((t) => t.appData.peerId === teacher.peerId).every((t) => t.closed)).toBe(true);
    expect(openTransportsOf('life1')).toEqual([]);
    expect(service.counts()).toMatchObject({ classes: 0, peers: 0, consumers: 0 });
    await waitFor(() => events.includes('closed:life1:empty'));
    expect(events).toEqual(['left:student:left', 'left:teacher:disconnected', 'closed:life1:empty']);
  });

  it('cleans up a peer that stops answering heartbeats', async () => {
    const teacher = await join('teacher', 'life2', 'instructor');
    const silent = await MediaSignalClient.connect(server.wsUrl, { autoPong: false });
    cleanup.push(silent);
    const token = await server.token({ sub: 'silent', role: 'student', cls: 'life2' });
    const joined = await silent.request('join', {
      protocol: MEDIA_PROTOCOL_VERSION,
      token,
      classId: 'life2',
      rtpCapabilities: {},
    });
    await silent.request('createTransport', { direction: 'recv' });
    expect(joined.heartbeatIntervalMs).toBe(HEARTBEAT_MS);
    const left = await teacher.signal.waitForNotification(
      'peerLeft',
      (d) => d.peerId === joined.you.peerId,
      5000,
    );
    expect(left.reason).toBe('timeout');
    expect(transports.filter((t) => t.appData.peerId === joined.you.peerId).every((t) => t.closed)).toBe(
      true,
    );
    // A peer that answers pings is never dropped.
    expect(teacher.signal.closed).toBeUndefined();
  });

  it('creates one Router when many peers join a class at once', async () => {
    const peers = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((sub) => join(sub, 'life3')));
    expect(routersOf('life3')).toHaveLength(1);
    expect(service.peers('life3')).toHaveLength(5);
    // Each join reply is a snapshot, and notifications carry on from it: nobody is missed or seen twice.
    expect(peers.map((p) => p.joined.peers.length).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const peer of peers) {
      await waitFor(() => peer.joined.peers.length + peer.signal.received('peerJoined').length === 4);
      const seen = [...peer.joined.peers, ...peer.signal.received('peerJoined').map((d) => d.peer)].map(
        (p) => p.userId,
      );
      expect(new Set(seen).size).toBe(4);
      expect(seen).not.toContain(peer.joined.you.userId);
    }
  });

  it('replaces a dead worker and tells its classes to reconnect', async () => {
    const teacher = await join('teacher', 'life4', 'instructor');
    const student = await join('student', 'life4');
    await teacher.publish('mic');
    const workersBefore = workers.length;
    const dead = workers.find((w) => !w.closed)!;
    process.kill(dead.pid, 'SIGKILL');

    for (const peer of [teacher, student]) {
      const note = await peer.signal.waitForNotification('reconnect');
      expect(note.reason).toContain('reconnect');
      expect((await peer.signal.waitForClose()).code).toBe(CLOSE_CODES.unavailable);
    }
    await waitFor(() => workers.length === workersBefore + 1, { timeoutMs: 10_000 });
    await waitFor(async () => {
      const body = (await (await fetch(`${server.httpUrl}/readyz`)).json()) as {
        checks: Record<string, { ok: boolean }>;
      };
      return body.checks['optional:media']?.ok;
    });
    // The class comes back on the new worker.
    const again = await join('teacher', 'life4', 'instructor');
    const listener = await join('student', 'life4');
    const mic = await again.publish('mic');
    const audio = await listener.consume(mic.producerId);
    await waitFor(() => audio.packets >= 5, { timeoutMs: 10_000 });
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/tandem_media_worker_deaths_total 1/);
  });
});
