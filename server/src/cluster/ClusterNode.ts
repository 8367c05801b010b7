// This process as a node of a cluster (REDIS_URL): decides for every class-scoped request and WebSocket
// upgrade whether this node serves it (it owns the class, or nobody did and it just acquired it) or forwards
// it to the owner, vouching for the client's address with a signed header; refuses with 503 and Retry-After
// while a class changes hands. Knows which class ids (breakout groups) it serves under each root, so losing a
// root's lease ends all of them. Also holds the node's event bus (ClusterBus.ts) and jobs lease (JobsLease.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseDocumentName } from '@tandem/shared';
import type { Redis } from 'ioredis';
import type { BackgroundJobs } from '../backgroundJobs.ts';
import type { ClusterConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { sendJson } from '../http/router.ts';
import { refuseWith } from '../http/upgrades.ts';
import type { Logger } from '../logger.ts';
import type { ClientAddressOf } from '../net/clientAddress.ts';
import type { WriteFence } from '../storage/pg/ClassFences.ts';
import type { BusDropReason } from './busMessages.ts';
import { ClassLeases } from './ClassLeases.ts';
import { ClassOwnership, type Owner } from './ClassOwnership.ts';
import { ClusterBus } from './ClusterBus.ts';
import { ClusterGate } from './ClusterGate.ts';
import {
  type ClassLookups,
  classOfHttpPath,
  classOfScope,
  classOfUpgrade,
  type RequestClass,
} from './classOfRequest.ts';
import { forwardHttp, forwardUpgrade } from './forward.ts';
import { JobsLease } from './JobsLease.ts';
import { NodeRegistry } from './NodeRegistry.ts';
import { signPeerHeader, verifyPeerHeader } from './peerHeader.ts';
import { connectRedis, pingRedis } from './redis.ts';

export interface ClusterNodeDeps {
  config: ClusterConfig;
  log: Logger;
  /** The client address as this node sees it (after TRUSTED_PROXIES), used when no peer vouches for one. */
  clientAddress: ClientAddressOf;
  rootOf(classId: string): Promise<string>;
  /** The class of a resource a route names by its own id, from storage (undefined: no such thing). */
  classOfSession: ClassLookups['classOfSession'];
  classOfPoll: ClassLookups['classOfPoll'];
  classOfRecording: ClassLookups['classOfRecording'];
  /**
   * Raises the class's fence in storage to a freshly granted lease's token, before the class is served;
   * resolves with the fence in force.
   */
  raiseFence?(classId: string, token: number): Promise<number>;
  /** Counts a malformed or oversized message dropped from the cluster bus (metrics). */
  onBusDropped?(reason: BusDropReason): void;
}

/** Whether anything of these class ids (a root and its groups) is live here: documents loaded, a call. */
export type BusyCheck = (classIds: readonly string[]) => boolean;

/** What losing a root class's lease must end here: its (and its groups') connections and documents. */
export type LostHandler = (classIds: readonly string[]) => void;

export class ClusterNode {
  readonly redis: Redis;
  private readonly ownership: ClassOwnership;
  /** Class ids served here under each root (the root itself and its breakout groups). */
  private readonly served = new Map<string, Set<string>>();
  /** The same the other way: the root of each class id served here (read on every update). */
  private readonly servedRoot = new Map<string, string>();
  private readonly lostHandlers: LostHandler[] = [];
  private readonly acquiredHandlers: ((rootClassId: string) => void)[] = [];
  /** When each root held here was last asked for (a request, an upgrade, a document). */
  private readonly lastUsed = new Map<string, number>();
  private busy: BusyCheck = () => true;
  private idleTimer: NodeJS.Timeout | undefined;
  /** The Hocuspocus extension that opens a document only on its class's owner. */
  readonly gate = new ClusterGate((classId) => this.serves(classId));
  /** Events to and from the other nodes (Redis pub/sub). */
  readonly bus: ClusterBus;
  private readonly jobsLease: JobsLease;
  /** The background jobs' view of the cluster: whether they run here, and which classes are live. */
  readonly jobs: BackgroundJobs;
  private readonly registry: NodeRegistry;

  constructor(private readonly deps: ClusterNodeDeps) {
    const { config, log } = deps;
    this.redis = connectRedis(config.redisUrl, log);
    const options = { keyPrefix: config.keyPrefix, ttlMs: config.leaseTtlMs };
    const leases = new ClassLeases(this.redis, options);
    this.registry = new NodeRegistry(this.redis, options);
    this.jobsLease = new JobsLease(this.redis, {
      keyPrefix: config.keyPrefix,
      nodeId: config.nodeId,
      ttlMs: config.leaseTtlMs,
      renewMs: config.renewMs,
      log: log.child({ part: 'jobs' }),
    });
    this.bus = new ClusterBus({
      redisUrl: config.redisUrl,
      keyPrefix: config.keyPrefix,
      nodeId: config.nodeId,
      publisher: this.redis,
      log,
      ...(deps.onBusDropped && { onDropped: deps.onBusDropped }),
    });
    this.jobs = this.jobsLease.asBackgroundJobs(async (classId) => {
      const lease = await leases.lookup(await deps.rootOf(classId));
      return lease !== undefined && (await this.registry.urlOf(lease.nodeId)) !== undefined;
    });
    this.ownership = new ClassOwnership(leases, this.registry, {
      nodeId: config.nodeId,
      advertiseUrl: config.advertiseUrl,
      ttlMs: config.leaseTtlMs,
      renewMs: config.renewMs,
      log,
      onLost: (root) => this.handleLost(root),
      onAcquired: async (lease) => {
        const fence = (await this.deps.raiseFence?.(lease.classId, lease.token)) ?? lease.token;
        if (fence <= lease.token) {
          for (const handler of this.acquiredHandlers) {
            try {
              handler(lease.classId);
            } catch (error) {
              this.deps.log.error({ err: error, classId: lease.classId }, 'a class-acquired handler failed');
            }
          }
          return;
        }
        // Redis's counter is behind storage's fence (it lost its data): writes under this lease would all
        // be refused. Move the counter past the fence and give this grant up; the next attempt gets one.
        await leases.bumpToken(lease.classId, fence);
        throw new Error(
          `lease token ${lease.token} of ${lease.classId} is below its fence ${fence}; retrying`,
        );
      },
    });
  }

  get nodeId(): string {
    return this.deps.config.nodeId;
  }

  async start(): Promise<void> {
    await this.ownership.start();
    await this.bus.start();
    await this.jobsLease.start();
    this.idleTimer = setInterval(() => void this.releaseIdle(), this.deps.config.idleReleaseMs / 2);
    this.idleTimer.unref();
    this.deps.log.info(
      { nodeId: this.nodeId, advertiseUrl: this.deps.config.advertiseUrl },
      'cluster node registered',
    );
  }

  /** How to tell whether a class is still live here (else its lease is freed after CLUSTER_IDLE_RELEASE_MS). */
  setBusyCheck(check: BusyCheck): void {
    this.busy = check;
  }

  /** Called with a root class this node was just granted, before it serves it. */
  onAcquired(handler: (rootClassId: string) => void): void {
    this.acquiredHandlers.push(handler);
  }

  /** Called with the class ids to end when a lease is lost. */
  onLost(handler: LostHandler): void {
    this.lostHandlers.push(handler);
  }

  /** The client's address: the one a peer vouched for in a signed header, else this node's own view. */
  readonly clientAddress: ClientAddressOf = (req) =>
    verifyPeerHeader(this.deps.config.secret, req)?.address ?? this.deps.clientAddress(req);

  /** Whether this node serves the class now, acquiring it when nobody owns it (collab documents ask this). */
  async serves(classId: string): Promise<boolean> {
    return (await this.ownerOfClass(classId)).kind === 'self';
  }

  /**
   * Synchronous, never acquiring: whether this node holds the (root of the) class now, so the class's pages
   * are connected here (cluster events for a class are acted on only there).
   */
  holdsClass(classId: string): boolean {
    return this.ownership.holds(this.servedRoot.get(classId) ?? classId);
  }

  /** Synchronous: whether this node may still write for the class (false from the moment its lease lapses). */
  mayWrite(documentName: string): boolean {
    const parsed = parseDocumentName(documentName);
    if (!parsed.ok) return true;
    for (const [root, ids] of this.served)
      if (ids.has(parsed.value.classId)) return this.ownership.holds(root);
    return this.ownership.holds(parsed.value.classId);
  }

  /** The lease a document's writes are made under, for storage's fencing (token 0 once it is gone). */
  readonly fenceOf = (documentName: string): WriteFence | undefined => {
    const parsed = parseDocumentName(documentName);
    if (!parsed.ok) return undefined;
    const { classId } = parsed.value;
    const root = this.servedRoot.get(classId) ?? classId;
    return { classId: root, token: this.ownership.lastTokenOf(root) };
  };

  /** Storage refused writes to these documents under a stale lease: their classes are lost here. */
  readonly handleFenced = (documentNames: readonly string[]): void => {
    for (const name of documentNames) {
      const parsed = parseDocumentName(name);
      if (!parsed.ok) continue;
      const { classId } = parsed.value;
      this.ownership.forceLose(this.servedRoot.get(classId) ?? classId);
    }
  };

  /** Handles an upgrade that belongs to a class served elsewhere (forwarded or refused); false: serve it here. */
  async routeUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    const scope = classOfUpgrade(new URL(req.url ?? '/', 'http://localhost'));
    const decision = await this.decide(req, scope);
    if (decision.kind === 'serve') return false;
    if (decision.kind === 'refuse') refuseWith(socket, decision.error);
    else forwardUpgrade(req, socket, head, decision.url, decision.header);
    return true;
  }

  /** The same for a REST request; false: serve it here. */
  async routeHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const decision = await this.decide(req, classOfHttpPath(pathname));
    if (decision.kind === 'serve') return false;
    if (decision.kind === 'refuse') {
      const retry = decision.error.details?.retryAfterSec;
      if (typeof retry === 'number') res.setHeader('retry-after', String(retry));
      sendJson(res, decision.error.httpStatus, decision.error.toBody());
    } else forwardHttp(req, res, decision.url, decision.header);
    return true;
  }

  /** Redis answering, for /readyz. */
  ping(): Promise<{ ok: boolean; detail?: string }> {
    return pingRedis(this.redis);
  }

  /** Drain: releases every lease and leaves the registry so other nodes take the classes at once. */
  async stop(): Promise<void> {
    if (this.idleTimer) clearInterval(this.idleTimer);
    await this.ownership.releaseAll();
    await this.jobsLease.stop();
    await this.bus.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async decide(
    req: IncomingMessage,
    scope: RequestClass | undefined,
  ): Promise<
    { kind: 'serve' } | { kind: 'refuse'; error: AppError } | { kind: 'forward'; url: URL; header: string }
  > {
    if (!scope) return { kind: 'serve' };
    let owner: Owner;
    try {
      const classId = await classOfScope(scope, this.deps);
      // An unknown session, poll or recording is answered here (404 from its route).
      if (classId === undefined) return { kind: 'serve' };
      owner = await this.ownerOfClass(classId);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'class owner lookup failed');
      return {
        kind: 'refuse',
        error: unavailable('the cluster could not find the node serving this class', 1),
      };
    }
    if (owner.kind === 'self') return { kind: 'serve' };
    if (owner.kind === 'unavailable') {
      return {
        kind: 'refuse',
        error: unavailable('this class is moving to another node', owner.retryAfterSec),
      };
    }
    // One hop only: a forwarded request that finds the class owned elsewhere raced a handover.
    if (verifyPeerHeader(this.deps.config.secret, req)) {
      return { kind: 'refuse', error: unavailable('this class moved to another node while connecting', 1) };
    }
    const header = signPeerHeader(this.deps.config.secret, {
      nodeId: this.nodeId,
      address: this.deps.clientAddress(req),
    });
    return { kind: 'forward', url: new URL(owner.url), header };
  }

  private async ownerOfClass(classId: string): Promise<Owner> {
    const root = await this.deps.rootOf(classId);
    const owner = await this.ownership.ownerOf(root);
    if (owner.kind === 'self') {
      const ids = this.served.get(root) ?? new Set([root]);
      ids.add(classId);
      this.served.set(root, ids);
      this.servedRoot.set(classId, root);
      this.lastUsed.set(root, Date.now());
    }
    return owner;
  }

  private async releaseIdle(): Promise<void> {
    const cutoff = Date.now() - this.deps.config.idleReleaseMs;
    for (const root of this.ownership.heldClasses()) {
      const ids = [...(this.served.get(root) ?? [root])];
      if ((this.lastUsed.get(root) ?? 0) > cutoff || this.busy(ids)) continue;
      this.forget(root);
      try {
        await this.ownership.release(root);
        this.deps.log.info({ classId: root }, 'idle class released');
      } catch (error) {
        this.deps.log.warn(
          { err: error, classId: root },
          'releasing an idle class failed; it expires instead',
        );
      }
    }
  }

  private forget(root: string): string[] {
    const ids = [...(this.served.get(root) ?? [root])];
    this.served.delete(root);
    this.lastUsed.delete(root);
    for (const id of ids) this.servedRoot.delete(id);
    return ids;
  }

  private handleLost(root: string): void {
    const ids = this.forget(root);
    for (const handler of this.lostHandlers) {
      try {
        handler(ids);
      } catch (error) {
        this.deps.log.error({ err: error, classId: root }, 'ending a lost class failed');
      }
    }
  }
}

function unavailable(message: string, retryAfterSec: number): AppError {
  return new AppError('unavailable', `${message}; retry in ${retryAfterSec} s`, { retryAfterSec });
}
