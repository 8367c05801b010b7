// Class leases in Redis: one owner node per root class, with a fencing token that grows with every grant.
// Acquire is SET NX PX plus INCR of the class's token counter in one Lua script, so a grant and its token are
// atomic; renew and release only act when the caller still holds exactly the lease it was granted.
import type { Redis } from 'ioredis';

export interface Lease {
  /** The root class (breakout groups and pair rooms belong to their root's lease). */
  classId: string;
  nodeId: string;
  /** Greater for every grant of this class's lease; storage may refuse writes under an older one. */
  token: number;
}

export type AcquireResult = { acquired: true; lease: Lease } | { acquired: false; holder: Lease };

export interface LeaseOptions {
  /** Prefix of every key (tests use a fresh one each). */
  keyPrefix: string;
  ttlMs: number;
}

// KEYS: lease, token counter. ARGV: node id, ttl. Returns {1, value} when granted, {0, value} when held.
const ACQUIRE = `
local held = redis.call('GET', KEYS[1])
if held then return {0, held} end
local token = redis.call('INCR', KEYS[2])
local value = token .. ' ' .. ARGV[1]
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
return {1, value}`;
// KEYS: lease. ARGV: the value granted, ttl.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
// KEYS: lease. ARGV: the value granted.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// KEYS: token counter. ARGV: the least value it must have.
const BUMP = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

export class ClassLeases {
  constructor(
    private readonly redis: Redis,
    private readonly options: LeaseOptions,
  ) {}

  /** Grants the lease to `nodeId` when nobody holds it; else says who does. */
  async acquire(classId: string, nodeId: string): Promise<AcquireResult> {
    const [granted, value] = (await this.redis.eval(
      ACQUIRE,
      2,
      this.leaseKey(classId),
      this.tokenKey(classId),
      nodeId,
      this.options.ttlMs,
    )) as [number, string];
    const lease = parseLease(classId, value);
    return granted === 1 ? { acquired: true, lease } : { acquired: false, holder: lease };
  }

  /** Extends the lease by the TTL; false when it expired or another grant replaced it (lost). */
  async renew(lease: Lease): Promise<boolean> {
    const result = await this.redis.eval(
      RENEW,
      1,
      this.leaseKey(lease.classId),
      leaseValue(lease),
      this.options.ttlMs,
    );
    return result === 1;
  }

  /** Gives the lease up; false (and nothing changes) unless `lease` is the one in force. */
  async release(lease: Lease): Promise<boolean> {
    const result = await this.redis.eval(RELEASE, 1, this.leaseKey(lease.classId), leaseValue(lease));
    return result === 1;
  }

  /** Moves the class's token counter up to at least `token` (after storage saw a greater one). */
  async bumpToken(classId: string, token: number): Promise<void> {
    await this.redis.eval(BUMP, 1, this.tokenKey(classId), token);
  }

  /** The lease in force, if any. */
  async lookup(classId: string): Promise<Lease | undefined> {
    const value = await this.redis.get(this.leaseKey(classId));
    return value === null ? undefined : parseLease(classId, value);
  }

  private leaseKey(classId: string): string {
    return `${this.options.keyPrefix}lease:${classId}`;
  }

  private tokenKey(classId: string): string {
    return `${this.options.keyPrefix}token:${classId}`;
  }
}

function leaseValue(lease: Lease): string {
  return `${lease.token} ${lease.nodeId}`;
}

function parseLease(classId: string, value: string): Lease {
  const space = value.indexOf(' ');
  return { classId, token: Number(value.slice(0, space)), nodeId: value.slice(space + 1) };
}
