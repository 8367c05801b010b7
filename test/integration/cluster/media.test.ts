// Media on a cluster: three real Tandem nodes (child processes, one mediasoup worker each on its own RTC
// port) behind HAProxy with the deploy guide's configuration, and headless WebRTC peers (mediasoup-client on
// werift) that name their class in `/media?class=` as the browser does. Peers entering at different nodes are
// served by the class's owner and send RTP over UDP straight to the owner's announced address; when the owner
// is killed (-9) or drained (SIGTERM), their media sockets close, they join again through HAProxy as the
// browser's reconnect does (a new socket, a new join), another node takes the class over and RTP flows
// through it; an owner that loses its lease tells its peers to reconnect (`reconnect`, 4503) and they join
// whichever node holds the class next.
import { CLOSE_CODES, type Role } from '@tandem/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { mintToken } from '../../../server/src/auth/tokens.ts';
import { freeRtcPort } from '../../helpers/freePort.ts';
import { startHaproxy } from '../../helpers/haproxy.ts';
import {
  type ClusterNodeProcess,
  type ProcessCluster,
  startProcessCluster,
} from '../../helpers/processCluster.ts';
import { TEST_SECRET, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Received, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';

const CLASS = 'c1';
const LEASE_TTL_MS = 2000;
/** Generous: a rejoin waits for the dead owner's lease to expire, on a loaded 2-core machine. */
const REJOIN_TIMEOUT_MS = 30_000;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

interface MediaCluster extends ProcessCluster {
  /** The RTC port of a node's one worker: each node has its own. */
  rtcPortOf(node: ClusterNodeProcess): number;
}

async function startMediaCluster(): Promise<MediaCluster> {
  const rtcPorts: number[] = [];
  for (let i = 0; i < 3; i++) rtcPorts.push(await freeRtcPort(rtcPorts));
  const cluster = await startProcessCluster(3, {
    leaseTtlMs: LEASE_TTL_MS,
    env: (i) => ({
      MEDIA_ENABLED: 'true',
      MEDIA_WORKERS: '1',
      RTC_LISTEN_IP: '127.0.0.1',
      RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
      RTC_PORT: String(rtcPorts[i]),
    }),
  });
  cleanup.push(() => cluster.stop());
  // Every node runs media, with one worker.
  for (const node of cluster.nodes) expect(await metric(node, 'tandem_media_workers')).toBe(1);
  return {
    ...cluster,
    rtcPortOf: (node) => rtcPorts[cluster.nodes.indexOf(node)] as number,
  };
}

/** Where peers enter: a node or HAProxy, with tokens for the class. */
function entry(url: string): Pick<TestServer, 'wsUrl' | 'token'> {
  return {
    wsUrl: url.replace(/^http/, 'ws'),
    token: ({ sub, role, cls = CLASS }) => mintToken(TEST_SECRET, { sub, name: sub, cls, role }),
  };
}

async function join(at: Pick<TestServer, 'wsUrl' | 'token'>, sub: string, role: Role) {
  const peer = await WeriftMediaPeer.join(at, { sub, role, cls: CLASS, routed: true, udpOnly: true });
  cleanup.push(() => peer.close());
  return peer;
}

/**
 * What the browser's MediaSession does after its socket closed without a refusal: a new socket and a new join,
 * again after a short wait until one succeeds (while the class has no live owner, an attempt is refused with
 * 503 or its join with `unavailable`).
 */
function rejoin(at: Pick<TestServer, 'wsUrl' | 'token'>, sub: string, role: Role) {
  return waitFor(() => join(at, sub, role), {
    timeoutMs: REJOIN_TIMEOUT_MS,
    intervalMs: 250,
    message: `${sub} joined again`,
  });
}

/** A gauge or counter without labels from a node's /metrics. */
async function metric(node: ClusterNodeProcess, name: string): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} not in ${node.nodeId}'s /metrics`);
  return Number(line.slice(name.length + 1));
}

/** Packets arrive, and keep arriving. */
async function flowing(...streams: Received[]): Promise<void> {
  await waitFor(() => streams.every((s) => s.packets >= 10), { timeoutMs: 15_000, message: 'RTP arrives' });
  const seen = streams.map((s) => s.packets);
  await waitFor(() => streams.every((s, i) => s.packets >= (seen[i] ?? 0) + 10), {
    timeoutMs: 10_000,
    message: 'RTP keeps arriving',
  });
}

/** A teacher publishing microphone and camera, a student receiving both. */
async function call(teacherAt: Pick<TestServer, 'wsUrl' | 'token'>, studentAt = teacherAt, retry = false) {
  const teacher = await (retry ? rejoin : join)(teacherAt, 'teacher', 'instructor');
  const mic = await teacher.publish('mic');
  const camera = await teacher.publish('camera');
  const student = await (retry ? rejoin : join)(studentAt, 'student', 'student');
  expect(student.joined.producers.map((p) => p.producerId).sort()).toEqual(
    [mic.producerId, camera.producerId].sort(),
  );
  const audio = await student.consume(mic.producerId);
  const video = await student.consume(camera.producerId);
  await flowing(audio, video);
  return { teacher, student, audio, video };
}

/** Both peers' transports point at `node`'s RTC port, and only `node` has them. */
async function servedBy(
  cluster: MediaCluster,
  node: ClusterNodeProcess,
  live: readonly ClusterNodeProcess[],
  { teacher, student }: Awaited<ReturnType<typeof call>>,
): Promise<void> {
  expect(teacher.sendPort).toBe(cluster.rtcPortOf(node));
  expect(student.recvPort).toBe(cluster.rtcPortOf(node));
  for (const n of live) expect(await metric(n, 'tandem_media_peers')).toBe(n === node ? 2 : 0);
}

/** A cluster, HAProxy in front of it, and a call entered through HAProxy. */
async function callThroughHaproxy() {
  const cluster = await startMediaCluster();
  const haproxy = await startHaproxy(cluster.nodes.map((n) => n.port));
  cleanup.push(() => haproxy.close());
  const at = entry(haproxy.url);
  return { cluster, at, before: await call(at) };
}

/** The peers join again through HAProxy, as the browser does, and are served by a node other than `gone`. */
async function rejoinedOnSurvivor(
  cluster: MediaCluster,
  at: Pick<TestServer, 'wsUrl' | 'token'>,
  gone: ClusterNodeProcess,
): Promise<void> {
  const survivors = cluster.nodes.filter((n) => n !== gone);
  const after = await call(at, at, true);
  const next = await cluster.ownerOf(CLASS, survivors);
  expect(next).not.toBe(gone);
  await servedBy(cluster, next, survivors, after);
}

describe('media on a cluster of three nodes', () => {
  it('peers entering at two different nodes are served by the owner and RTP flows over UDP to it', async () => {
    const cluster = await startMediaCluster();
    const [first, second, third] = cluster.nodes as [
      ClusterNodeProcess,
      ClusterNodeProcess,
      ClusterNodeProcess,
    ];
    // The teacher's socket reaches the first node, which takes the class; the student's reaches the second,
    // which forwards it to the first.
    const media = await call(entry(first.url), entry(second.url));
    const owner = await cluster.ownerOf(CLASS);
    expect(owner).toBe(first);
    // Each node has its own RTC port, and the student's media goes to the owner's, not to the node it entered at.
    expect(new Set(cluster.nodes.map((n) => cluster.rtcPortOf(n))).size).toBe(3);
    await servedBy(cluster, owner, [first, second, third], media);
    expect(media.student.recvTransport?.connectionState).toBe('connected');
    expect(media.teacher.sendTransport?.connectionState).toBe('connected');
  }, 90_000);

  it('kill -9 of the owner mid-call: sockets close, peers join again through HAProxy, media flows through the new owner', async () => {
    const { cluster, at, before } = await callThroughHaproxy();
    const owner = await cluster.ownerOf(CLASS);
    await servedBy(cluster, owner, cluster.nodes, before);

    owner.child.kill('SIGKILL');
    await owner.exited;
    // No close frame from a dead node: an abnormal close, which the browser answers by rejoining.
    for (const peer of [before.teacher, before.student]) {
      expect((await peer.signal.waitForClose()).code).toBe(1006);
      peer.close();
    }

    await rejoinedOnSurvivor(cluster, at, owner);
  }, 120_000);

  it('a drained owner (SIGTERM) closes its calls with 1001; peers join again and media flows through the new owner', async () => {
    const { cluster, at, before } = await callThroughHaproxy();
    const owner = await cluster.ownerOf(CLASS);
    await servedBy(cluster, owner, cluster.nodes, before);

    owner.child.kill('SIGTERM');
    // Going away, not a refusal and not "media unavailable": the browser rejoins.
    for (const peer of [before.teacher, before.student]) {
      expect(await peer.signal.waitForClose()).toEqual({
        code: CLOSE_CODES.goingAway,
        reason: 'server shutting down',
      });
      peer.close();
    }
    expect(await owner.exited).toBe(0);
    // Released on the way out, not left to expire.
    expect((await cluster.leaseOf(CLASS))?.endsWith(` ${owner.nodeId}`) ?? false).toBe(false);

    await rejoinedOnSurvivor(cluster, at, owner);
  }, 120_000);

  it('an owner that loses its lease hands its call over: `reconnect`, 4503, and the peers join the next owner', async () => {
    const { cluster, at, before } = await callThroughHaproxy();
    await cluster.ownerOf(CLASS); // the class has an owner before its lease goes

    // The lease lapses in Redis (as after a pause longer than its TTL): the owner's next renewal is refused.
    await cluster.redis.connect().del(`${cluster.redis.keyPrefix}lease:${CLASS}`);
    for (const peer of [before.teacher, before.student]) {
      await peer.signal.waitForNotification('reconnect');
      expect((await peer.signal.waitForClose()).code).toBe(CLOSE_CODES.unavailable);
      peer.close();
    }

    const after = await call(at, at, true);
    const next = await cluster.ownerOf(CLASS);
    await servedBy(cluster, next, cluster.nodes, after);
  }, 120_000);
});
