// This node's side of class ownership: which root classes it holds leases on, who owns any other class,
// renewals and the registry heartbeat on one timer, and the moment a lease is lost. A lease counts as held
// only until one renewal period before it could have expired in Redis (measured from when the last successful
// renewal was sent), so a node whose renewals fail stops serving a class before another node can take it.
import type { Logger } from '../logger.ts';
import type { ClassLeases, Lease } from './ClassLeases.ts';
import type { NodeRegistry } from './NodeRegistry.ts';

export type Owner =
  | { kind: 'self'; lease: Lease }
  | { kind: 'peer'; nodeId: string; url: string }
  /** Held by a node that is no longer registered (dead or leaving): its lease expires within the TTL. */
  | { kind: 'unavailable'; retryAfterSec: number };

export interface OwnershipOptions {
  nodeId: string;
  advertiseUrl: string;
  ttlMs: number;
  renewMs: number;
  log: Logger;
  /** Called once when a held lease is lost (renewal refused, or not confirmed in time); serve it no more. */
  onLost(classId: string): void;
  /** Runs after a fresh grant, before the class is served (raises its fence in storage); a failure gives it back. */
  onAcquired?(lease: Lease): Promise<void>;
}

interface Held {
  lease: Lease;
  /** Until when this node may act as owner (ms since epoch). */
  validUntil: number;
}

export class ClassOwnership {
  private readonly held = new Map<string, Held>();
  private readonly resolving = new Map<string, Promise<Owner>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly leases: ClassLeases,
    private readonly registry: NodeRegistry,
    private readonly options: OwnershipOptions,
  ) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Registers the node and starts renewing. */
  async start(): Promise<void> {
    await this.registry.heartbeat(this.options.nodeId, this.options.advertiseUrl);
    this.timer = setInterval(() => void this.renewAll(), this.options.renewMs);
    this.timer.unref();
  }

  /** Whether this node may serve (and write for) the root class now. */
  holds(classId: string): boolean {
    const held = this.held.get(classId);
    return held !== undefined && Date.now() < held.validUntil;
  }

  /** The fencing token of the lease this node holds on the class, if it holds one. */
  tokenOf(classId: string): number | undefined {
    return this.holds(classId) ? this.held.get(classId)?.lease.token : undefined;
  }

  /** The token of the lease held on the class, even past its validity (0: none): what writes are fenced with. */
  lastTokenOf(classId: string): number {
    return this.held.get(classId)?.lease.token ?? 0;
  }

  /** Storage refused a write under this lease (a newer one exists): lost, whatever Redis said last. */
  forceLose(classId: string): void {
    const held = this.held.get(classId);
    if (held) this.lose(classId, held);
  }

  /** Root classes this node holds. */
  heldClasses(): string[] {
    return [...this.held.keys()];
  }

  /** Who owns the root class; a class nobody owns is acquired by this node (unless it is stopping). */
  ownerOf(classId: string): Promise<Owner> {
    if (this.holds(classId)) {
      const held = this.held.get(classId) as Held;
      return Promise.resolve({ kind: 'self', lease: held.lease });
    }
    let pending = this.resolving.get(classId);
    if (!pending) {
      pending = this.resolve(classId).finally(() => this.resolving.delete(classId));
      this.resolving.set(classId, pending);
    }
    return pending;
  }

  /** Drain: no new classes, registry entry gone, every lease released so other nodes take over at once. */
  async releaseAll(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const held = [...this.held.values()];
    this.held.clear();
    await Promise.allSettled([
      this.registry.leave(this.options.nodeId),
      ...held.map(({ lease }) => this.leases.release(lease)),
    ]);
  }

  /** Gives up one class (no connections left for it here). */
  async release(classId: string): Promise<void> {
    const held = this.held.get(classId);
    if (!held) return;
    this.held.delete(classId);
    await this.leases.release(held.lease);
  }

  private async resolve(classId: string): Promise<Owner> {
    const ttlSec = Math.ceil(this.options.ttlMs / 1000);
    if (this.stopped) return { kind: 'unavailable', retryAfterSec: 1 };
    const sentAt = Date.now();
    const result = await this.leases.acquire(classId, this.options.nodeId);
    const lease = result.acquired ? result.lease : result.holder;
    // Our own id on a lease we do not know: granted to this node before a renewal was given up on; the
    // lost handler has run, so taking it back is safe.
    if (lease.nodeId === this.options.nodeId) {
      // Not ours after all when a renewal no longer finds it.
      if (!result.acquired && !(await this.leases.renew(lease)))
        return { kind: 'unavailable', retryAfterSec: 1 };
      if (this.stopped) {
        await this.leases.release(lease);
        return { kind: 'unavailable', retryAfterSec: 1 };
      }
      if (result.acquired && this.options.onAcquired) {
        try {
          await this.options.onAcquired(lease);
        } catch (error) {
          await this.leases.release(lease).catch(() => false);
          throw error;
        }
      }
      this.held.set(classId, { lease, validUntil: sentAt + this.options.ttlMs - this.options.renewMs });
      if (result.acquired) this.options.log.info({ classId, token: lease.token }, 'class lease acquired');
      return { kind: 'self', lease };
    }
    const url = await this.registry.urlOf(lease.nodeId);
    if (url === undefined) return { kind: 'unavailable', retryAfterSec: ttlSec };
    return { kind: 'peer', nodeId: lease.nodeId, url };
  }

  private async renewAll(): Promise<void> {
    const { nodeId, advertiseUrl, log } = this.options;
    this.registry.heartbeat(nodeId, advertiseUrl).catch((error: unknown) => {
      log.warn({ err: error }, 'cluster heartbeat failed');
    });
    await Promise.all(
      [...this.held.entries()].map(async ([classId, held]) => {
        const sentAt = Date.now();
        let renewed: boolean | undefined;
        try {
          renewed = await this.leases.renew(held.lease);
        } catch (error) {
          log.warn({ err: error, classId }, 'lease renewal failed; retrying');
        }
        if (this.held.get(classId) !== held) return;
        if (renewed === true) held.validUntil = sentAt + this.options.ttlMs - this.options.renewMs;
        else if (renewed === false || Date.now() >= held.validUntil) this.lose(classId, held);
      }),
    );
    // A renewal that is merely slow still ends service in time.
    for (const [classId, held] of this.held) if (Date.now() >= held.validUntil) this.lose(classId, held);
  }

  private lose(classId: string, held: Held): void {
    if (this.held.get(classId) !== held) return;
    this.held.delete(classId);
    this.options.log.warn({ classId, token: held.lease.token }, 'class lease lost: closing its connections');
    this.options.onLost(classId);
  }
}
