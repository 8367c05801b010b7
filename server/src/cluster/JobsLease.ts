// The cluster's "jobs" lease: the one node that runs the background jobs that must not run on every node at
// once (recovery of recordings a dead node left `recording`, recording retention). A lease in Redis under
// `<prefix>jobs:lease:all`, granted, renewed and released by the same Lua scripts as class leases
// (ClassLeases.ts), with the same rule for when it counts as held: until one renewal period before it could
// have expired, measured from when its last renewal was sent. A node that does not hold it tries to take it
// on every tick, so the jobs move to another node within one TTL of their holder dying.
import type { Redis } from 'ioredis';
import type { BackgroundJobs } from '../backgroundJobs.ts';
import type { Logger } from '../logger.ts';
import { ClassLeases, type Lease } from './ClassLeases.ts';

const JOBS_LEASE_NAME = 'all';

export interface JobsLeaseOptions {
  keyPrefix: string;
  nodeId: string;
  ttlMs: number;
  renewMs: number;
  log: Logger;
}

export class JobsLease {
  private readonly leases: ClassLeases;
  private held: { lease: Lease; validUntil: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly acquiredListeners: (() => void)[] = [];

  constructor(
    redis: Redis,
    private readonly o: JobsLeaseOptions,
  ) {
    this.leases = new ClassLeases(redis, { keyPrefix: `${o.keyPrefix}jobs:`, ttlMs: o.ttlMs });
  }

  /** Tries to take the lease now, then keeps it (or keeps trying) every renewal period. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => {
        this.ticking = undefined;
      });
    }, this.o.renewMs);
    this.timer.unref();
  }

  /** Whether this node runs the cluster's background jobs now. */
  holds(): boolean {
    return this.held !== undefined && Date.now() < this.held.validUntil;
  }

  /** Called each time this node takes the lease (jobs run at once rather than at their next period). */
  onAcquired(listener: () => void): void {
    this.acquiredListeners.push(listener);
  }

  /** What background jobs see: they run here while this lease is held, and look again every lease TTL. */
  asBackgroundJobs(classIsLive: (classId: string) => Promise<boolean>): BackgroundJobs {
    return {
      clustered: true,
      periodMs: this.o.ttlMs,
      runHere: () => this.holds(),
      classIsLive,
      onRunHere: (listener) => this.onAcquired(listener),
    };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    const held = this.held;
    this.held = undefined;
    if (held) await this.leases.release(held.lease).catch(() => false);
  }

  private async tick(): Promise<void> {
    const sentAt = Date.now();
    try {
      if (this.held) {
        const renewed = await this.leases.renew(this.held.lease);
        if (renewed) this.held.validUntil = sentAt + this.o.ttlMs - this.o.renewMs;
        else this.lose('renewal refused');
        return;
      }
      const result = await this.leases.acquire(JOBS_LEASE_NAME, this.o.nodeId);
      if (!result.acquired) return;
      this.held = { lease: result.lease, validUntil: sentAt + this.o.ttlMs - this.o.renewMs };
      this.o.log.info({ token: result.lease.token }, 'jobs lease acquired: background jobs run here');
      for (const listener of this.acquiredListeners) listener();
    } catch (error) {
      this.o.log.warn({ err: error }, 'jobs lease renewal failed; retrying');
      if (this.held && Date.now() >= this.held.validUntil) this.lose('renewal not confirmed in time');
    }
  }

  private lose(why: string): void {
    this.held = undefined;
    this.o.log.warn({ why }, 'jobs lease lost: background jobs stop here');
  }
}
