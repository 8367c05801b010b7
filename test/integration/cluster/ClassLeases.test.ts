// Class leases and the node registry against a real Redis: expiry and takeover with a greater fencing
// token, renew and release refused to anyone but the holder, one winner among concurrent acquires.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassLeases } from '../../../server/src/cluster/ClassLeases.ts';
import { NodeRegistry } from '../../../server/src/cluster/NodeRegistry.ts';
import { createRedisSpace, type RedisTestSpace } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/waitFor.ts';

let space: RedisTestSpace;
beforeEach(async () => {
  space = await createRedisSpace();
});
afterEach(() => space.drop());

const leases = (ttlMs = 10_000) => new ClassLeases(space.connect(), { keyPrefix: space.keyPrefix, ttlMs });

describe('ClassLeases', () => {
  it('grants a free class, then names the holder to everyone else', async () => {
    const a = leases();
    const b = leases();
    const granted = await a.acquire('c1', 'node-a');
    expect(granted).toEqual({ acquired: true, lease: { classId: 'c1', nodeId: 'node-a', token: 1 } });
    expect(await b.acquire('c1', 'node-b')).toEqual({
      acquired: false,
      holder: { classId: 'c1', nodeId: 'node-a', token: 1 },
    });
    expect(await b.lookup('c1')).toEqual({ classId: 'c1', nodeId: 'node-a', token: 1 });
    expect(await b.lookup('c2')).toBeUndefined();
    // Classes are independent.
    expect(await b.acquire('c2', 'node-b')).toMatchObject({ acquired: true, lease: { nodeId: 'node-b' } });
  });

  it('an expired lease is taken over with a greater token; the old holder can neither renew nor release it', async () => {
    const a = leases(300);
    const b = leases(300);
    const first = await a.acquire('c1', 'node-a');
    if (!first.acquired) throw new Error('not granted');
    await waitFor(async () => (await b.lookup('c1')) === undefined, { timeoutMs: 3000 });
    const second = await b.acquire('c1', 'node-b');
    if (!second.acquired) throw new Error('takeover not granted');
    expect(second.lease.token).toBeGreaterThan(first.lease.token);
    expect(await a.renew(first.lease)).toBe(false);
    expect(await a.release(first.lease)).toBe(false);
    expect(await b.lookup('c1')).toEqual(second.lease);
  });

  it('renew keeps the lease past its TTL; renew and release by a non-holder are refused', async () => {
    const a = leases(400);
    const b = leases(400);
    const granted = await a.acquire('c1', 'node-a');
    if (!granted.acquired) throw new Error('not granted');
    const { lease } = granted;
    const forged = [
      { ...lease, nodeId: 'node-b' },
      { ...lease, token: lease.token + 1 },
      { ...lease, token: lease.token - 1 },
    ];
    for (const other of forged) {
      expect(await b.renew(other)).toBe(false);
      expect(await b.release(other)).toBe(false);
    }
    // Renewed every 100 ms for three TTLs: never lost, still held.
    let renewals = 0;
    let lost = false;
    const timer = setInterval(() => {
      void a.renew(lease).then((ok) => {
        renewals++;
        if (!ok) lost = true;
      });
    }, 100);
    const started = Date.now();
    try {
      await waitFor(() => Date.now() - started > 1200, { timeoutMs: 3000 });
    } finally {
      clearInterval(timer);
    }
    expect(renewals).toBeGreaterThan(5);
    expect(lost).toBe(false);
    expect(await b.lookup('c1')).toEqual(lease);
    expect(await a.release(lease)).toBe(true);
    expect(await b.lookup('c1')).toBeUndefined();
    expect(await a.renew(lease)).toBe(false);
  });

  it('of many concurrent acquires from separate connections exactly one wins', async () => {
    const contenders = Array.from({ length: 12 }, () => leases());
    const results = await Promise.all(contenders.map((l, i) => l.acquire('race', `node-${i}`)));
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.acquired ? winners[0].lease : undefined;
    for (const r of results) {
      if (!r.acquired) expect(r.holder).toEqual(winner);
    }
  });
});

describe('NodeRegistry', () => {
  it('a node is listed while it heartbeats and drops out one TTL after it stops', async () => {
    const registry = new NodeRegistry(space.connect(), { keyPrefix: space.keyPrefix, ttlMs: 300 });
    await registry.heartbeat('node-a', 'http://10.0.0.1:8080');
    await registry.heartbeat('node-b', 'http://10.0.0.2:8080');
    expect(await registry.urlOf('node-a')).toBe('http://10.0.0.1:8080');
    await registry.leave('node-b');
    expect(await registry.urlOf('node-b')).toBeUndefined();
    await waitFor(async () => (await registry.urlOf('node-a')) === undefined, { timeoutMs: 3000 });
  });
});
