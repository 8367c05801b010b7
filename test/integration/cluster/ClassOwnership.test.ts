// Class ownership between nodes against a real Redis: a free class is acquired, others are pointed at its
// owner's advertise URL, a lease replaced under its owner is noticed as lost, and a drained node's classes
// are free at once; a node cut off from Redis stops serving before its lease can expire.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassLeases } from '../../../server/src/cluster/ClassLeases.ts';
import { ClassOwnership } from '../../../server/src/cluster/ClassOwnership.ts';
import { NodeRegistry } from '../../../server/src/cluster/NodeRegistry.ts';
import { createLogger } from '../../../server/src/logger.ts';
import { createRedisSpace, type RedisTestSpace } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const TTL_MS = 800;
const RENEW_MS = 150;

let space: RedisTestSpace;
const started: ClassOwnership[] = [];
beforeEach(async () => {
  space = await createRedisSpace();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((o) => o.releaseAll()));
  await space.drop();
});

async function node(nodeId: string) {
  const redis = space.connect();
  const lost: string[] = [];
  const options = { keyPrefix: space.keyPrefix, ttlMs: TTL_MS };
  const ownership = new ClassOwnership(new ClassLeases(redis, options), new NodeRegistry(redis, options), {
    nodeId,
    advertiseUrl: `http://${nodeId}.internal:8080`,
    ttlMs: TTL_MS,
    renewMs: RENEW_MS,
    log: createLogger('silent'),
    onLost: (classId) => lost.push(classId),
  });
  await ownership.start();
  started.push(ownership);
  return { ownership, lost, redis };
}

describe('ClassOwnership', () => {
  it('the first node to ask owns the class and keeps it past the TTL; others are sent to it', async () => {
    const a = await node('a');
    const b = await node('b');
    const [first, second] = await Promise.all([a.ownership.ownerOf('c1'), a.ownership.ownerOf('c1')]);
    expect(first).toMatchObject({ kind: 'self', lease: { nodeId: 'a' } });
    expect(second).toEqual(first);
    expect(await b.ownership.ownerOf('c1')).toEqual({
      kind: 'peer',
      nodeId: 'a',
      url: 'http://a.internal:8080',
    });
    const since = Date.now();
    await waitFor(() => Date.now() - since > 3 * TTL_MS, { timeoutMs: 5000 });
    expect(a.ownership.holds('c1')).toBe(true);
    expect(a.lost).toEqual([]);
    expect(await b.ownership.ownerOf('c1')).toMatchObject({ kind: 'peer', nodeId: 'a' });
  });

  it('a lease replaced under its owner is reported lost once, and the new owner has a greater token', async () => {
    const a = await node('a');
    const b = await node('b');
    const owner = await a.ownership.ownerOf('c1');
    if (owner.kind !== 'self') throw new Error('not owner');
    await space.connect().del(`${space.keyPrefix}lease:c1`);
    const taken = await b.ownership.ownerOf('c1');
    if (taken.kind !== 'self') throw new Error('b did not take over');
    expect(taken.lease.token).toBeGreaterThan(owner.lease.token);
    await waitFor(() => a.lost.length > 0, { timeoutMs: 3000 });
    expect(a.lost).toEqual(['c1']);
    expect(a.ownership.holds('c1')).toBe(false);
    expect(await a.ownership.ownerOf('c1')).toMatchObject({ kind: 'peer', nodeId: 'b' });
  });

  it('releaseAll (drain) frees every class and the registry entry at once', async () => {
    const a = await node('a');
    const b = await node('b');
    await a.ownership.ownerOf('c1');
    await a.ownership.ownerOf('c2');
    await a.ownership.releaseAll();
    expect(await b.ownership.ownerOf('c1')).toMatchObject({ kind: 'self' });
    expect(await b.ownership.ownerOf('c2')).toMatchObject({ kind: 'self' });
    expect(await a.ownership.ownerOf('c3')).toEqual({ kind: 'unavailable', retryAfterSec: 1 });
  });

  it('a node cut off from Redis stops serving before its lease expires; then another node takes over', async () => {
    const a = await node('a');
    const b = await node('b');
    await a.ownership.ownerOf('c1');
    a.redis.disconnect();
    await waitFor(() => a.lost.includes('c1'), { timeoutMs: 3000 });
    // a gave the class up while the lease was still in Redis.
    const lease = await new ClassLeases(space.connect(), {
      keyPrefix: space.keyPrefix,
      ttlMs: TTL_MS,
    }).lookup('c1');
    expect(lease?.nodeId).toBe('a');
    // Until then b may not take it (it is still pointed at a, or told to retry once a's entry is gone).
    expect((await b.ownership.ownerOf('c1')).kind).not.toBe('self');
    await waitFor(async () => (await b.ownership.ownerOf('c1')).kind === 'self', { timeoutMs: 3000 });
  });
});
