// Background jobs in a cluster of three in-process nodes: the webhook outbox is delivered by every node, yet
// each delivery reaches a real HTTP receiver once (rows are claimed FOR UPDATE SKIP LOCKED); one node at a
// time holds the jobs lease, and it moves when its holder drains; recordings left `recording` are recovered
// by the jobs holder only when no live node serves their class (one whose class is served is in progress).
import type { RecordingManifest } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classroomOf } from '../../../server/src/classroom/index.ts';
import { newManifest } from '../../../server/src/recording/newManifest.ts';
import { CRASH_REASON } from '../../../server/src/recording/recover.ts';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type InProcessCluster, startInProcessCluster } from '../../helpers/inProcessCluster.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { caller } from '../classroom/classroomApi.ts';
import { type Receiver, startReceiver, WEBHOOK_TEST_SECRET } from '../webhooks/receiver.ts';

const API_KEY = 'platform-key-0123456789abcdef';
const LEASE_TTL_MS = 2000;
const EVENTS_PER_NODE = 20;

let cluster: InProcessCluster;
let receiver: Receiver;
const clients: CollabClient[] = [];

beforeEach(async () => {
  receiver = await startReceiver();
  cluster = await startInProcessCluster(3, {
    API_KEYS: API_KEY,
    WEBHOOK_URL: receiver.url,
    WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
    CLUSTER_LEASE_TTL_MS: String(LEASE_TTL_MS),
    CLUSTER_RENEW_MS: '500',
  });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await cluster.stop();
  await receiver.close();
});

const jobsHolder = () => cluster.redis.connect().get(`${cluster.redis.keyPrefix}jobs:lease:all`);

describe('background jobs in a cluster', () => {
  it('every node delivers the outbox, and each webhook reaches the receiver once', async () => {
    // Events raised on all three nodes at once: each node's dispatcher claims due rows, whoever enqueued them.
    cluster.nodes.forEach((node, n) => {
      const room = classroomOf(node.tandem.ctx);
      if (!room) throw new Error('no classroom');
      for (let i = 0; i < EVENTS_PER_NODE; i++) {
        room.events.emit('sessionStarted', {
          classId: `c${n}`,
          sessionId: `s${n}-${i}`,
          at: Date.now(),
          byId: null,
        });
      }
    });
    const total = EVENTS_PER_NODE * cluster.nodes.length;
    const platform = caller(cluster.nodes[0] as TestServer, API_KEY);
    // Done once no row is pending any more: nothing can be sent again after that.
    const deliveries = await waitFor(
      async () => {
        const reply = await platform<{ deliveries: { eventId: string; state: string; attempts: number }[] }>(
          'GET',
          '/api/webhooks/deliveries?limit=100',
        );
        const list = reply.body.deliveries;
        return list.length === total && list.every((d) => d.state === 'delivered') && list;
      },
      { timeoutMs: 15_000 },
    );
    expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
    const eventIds = receiver.events().map((e) => e.id);
    expect(eventIds).toHaveLength(total);
    expect(new Set(eventIds).size).toBe(total);
    expect(new Set(eventIds)).toEqual(new Set(deliveries.map((d) => d.eventId)));
  });

  it('one node holds the jobs lease; recordings are recovered there unless a live node serves their class', async () => {
    const [n1, n2] = cluster.nodes as [TestServer, TestServer, TestServer];
    const holder = await waitFor(jobsHolder);
    expect(holder).toMatch(/^\d+ n[123]$/);
    // The session is made at `node`, which thereby takes the class.
    const recordingOf = async (node: TestServer, classId: string): Promise<RecordingManifest> => {
      const platform = caller(node, API_KEY);
      expect((await platform('POST', '/api/classes', { id: classId, title: classId })).status).toBe(201);
      const session = await platform<{ session: { id: string } }>(
        'POST',
        `/api/classes/${classId}/sessions`,
        {},
      );
      expect(session.status, session.text).toBe(201);
      const manifest = newManifest(session.body.session.id, classId, null, 'recording');
      manifest.startedAt = Date.now();
      return manifest;
    };
    const store = n1.tandem.ctx.storage.recordings;
    // 'live' is served by n2 (a page is open there); 'ghost' by a node that left the registry; 'orphan' by none
    // (n1 took both when their sessions were made; their leases are then replaced and removed under it).
    const live = await recordingOf(n2, 'live');
    const token = await n2.token({ sub: 'ida', role: 'instructor', cls: 'live' });
    const page = connectCollab(n2, 'live/code/main', token);
    clients.push(page);
    await page.synced();
    expect(await cluster.leaseOf('live')).toMatch(/ n2$/);
    const redis = cluster.redis.connect();
    const ghost = await recordingOf(n1, 'ghost');
    await redis.set(`${cluster.redis.keyPrefix}lease:ghost`, '7 gone-node', 'PX', 60_000);
    const orphan = await recordingOf(n1, 'orphan');
    await redis.del(`${cluster.redis.keyPrefix}lease:orphan`);
    for (const manifest of [live, ghost, orphan]) await store.create(manifest, Date.now());

    for (const manifest of [ghost, orphan]) {
      const recovered = await waitFor(
        async () => {
          const got = await store.get(manifest.id);
          return got?.state === 'failed' && got;
        },
        { timeoutMs: 4 * LEASE_TTL_MS },
      );
      expect(recovered.stopReason).toBe(CRASH_REASON);
    }
    // The recovery pass that failed those two saw 'live' too, and left it to n2.
    expect((await store.get(live.id))?.state).toBe('recording');

    // The holder drains: another node takes the jobs within a TTL.
    const holderNode = cluster.nodes.find((n) => holder?.endsWith(` ${nodeIdOf(n)}`));
    if (!holderNode) throw new Error(`no node holds ${holder}`);
    await holderNode.stop();
    cluster.nodes.splice(cluster.nodes.indexOf(holderNode), 1);
    const next = await waitFor(
      async () => {
        const now = await jobsHolder();
        return now !== null && now !== holder && now;
      },
      { timeoutMs: 3 * LEASE_TTL_MS },
    );
    expect(next).toMatch(/^\d+ n[123]$/);
    expect(Number(next.split(' ')[0])).toBeGreaterThan(Number(holder?.split(' ')[0]));
  });
});

function nodeIdOf(node: TestServer): string {
  return node.tandem.ctx.config.cluster?.nodeId ?? '';
}
