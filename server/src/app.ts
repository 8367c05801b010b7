// Wires Tandem's parts together: database, auth, collaboration, HTTP routes and WebSocket endpoints.
// Knows no protocol details itself; each part installs its own routes.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installVersionRoutes } from './api/versionRoutes.ts';
import { CredentialGuard } from './auth/CredentialGuard.ts';
import { installDevTokenRoutes } from './auth/devTokenRoutes.ts';
import { resolveAuthSecret } from './auth/secret.ts';
import { createTokenVerifier, type TokenVerifier } from './auth/verifier.ts';
import { type BackgroundJobs, SINGLE_NODE_JOBS } from './backgroundJobs.ts';
import { ClassRoots } from './classroom/ClassRoots.ts';
import { installClassroom } from './classroom/index.ts';
import { Removals } from './classroom/Removals.ts';
import { createRoomAdmission } from './classroom/roomAdmission.ts';
import type { ClusterNodeDeps } from './cluster/ClusterNode.ts';
import {
  armPollsOnAcquire,
  connectCluster,
  ownerOnlyAdmission,
  relayClassNotices,
  relayNotifications,
} from './cluster/wiring.ts';
import { type CollabService, createCollabService } from './collab/CollabService.ts';
import type { Config } from './config.ts';
import { installHistory } from './history/index.ts';
import { installHealthRoutes, type ReadinessCheck } from './http/health.ts';
import http from './http/nodeHttp.ts';
import { createHttpRouter, type Router, sendJson } from './http/router.ts';
import { deadlineServerOptions, installServerDeadlines } from './http/serverDeadlines.ts';
import { installStaticRoutes } from './http/static.ts';
import { createUpgradeRouter, type UpgradeRouter } from './http/upgrades.ts';
import type { Logger } from './logger.ts';
import { installMedia } from './media/index.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { Admission } from './net/Admission.ts';
import { type ClientAddressOf, createClientAddress } from './net/clientAddress.ts';
import { type ConnectionGuard, createConnectionGuard } from './net/connectionGuard.ts';
import { installRecording } from './recording/index.ts';
import { createSignedUrls } from './recording/signedUrls.ts';
import { RunRelayExtension } from './run/RunRelay.ts';
import { installRunnerRoutes } from './run/runnerStatic.ts';
import { type OpenedStorage, openStorage, type StorageConfig } from './storage/openStorage.ts';
import { CheckpointWriter } from './timeline/CheckpointWriter.ts';
import { DocumentSeeker } from './timeline/DocumentSeeker.ts';
import { installTimeline } from './timeline/index.ts';
import { installWebhooks } from './webhooks/index.ts';
import { installWorkspaces } from './workspaces/index.ts';

/** How long /readyz waits for the database to answer (a probe's own timeout is often 1 s). */
const DATABASE_PING_TIMEOUT_MS = 500;

export interface AppContext {
  config: Readonly<Config>;
  log: Logger;
  metrics: Metrics;
  router: Router;
  upgrades: UpgradeRouter;
  /** Durable state on the configured engine (DATABASE_URL: PostgreSQL, else SQLite under DATA_DIR). */
  storage: OpenedStorage;
  verifier: TokenVerifier;
  /** The verifier behind per-address back-off on bad credentials; use it for anything from the network. */
  credentials: CredentialGuard;
  /** The client's address of a request (after TRUSTED_PROXIES). */
  clientAddress: ClientAddressOf;
  /** Per-address and per-user caps on WebSocket connections and their shared message budgets. */
  admission: Admission;
  /** Closes only the connection whose handler threw; logs and counts it. */
  guard: ConnectionGuard;
  /** The HS256 secret when one is in use (for dev tokens and tests). */
  authSecret: string | undefined;
  /** The main class of each class id (breakout groups resolve to their parent). */
  roots: ClassRoots;
  /** Who staff removed from a class for the rest of its session: every endpoint refuses them. */
  removals: Removals;
  /** Whether the cluster-wide background jobs run here (always on a single node). */
  jobs: BackgroundJobs;
  collab: CollabService;
  readiness: Map<string, ReadinessCheck>;
  /** Registers work to run on shutdown; lower `order` runs first. */
  onShutdown(fn: () => Promise<void> | void, order?: number): void;
}

export interface Tandem {
  ctx: AppContext;
  server: Server;
  listen(): Promise<URL>;
  close(): Promise<void>;
}

export async function createTandem(config: Readonly<Config>, log: Logger): Promise<Tandem> {
  const metrics = createMetrics();
  const guard = createConnectionGuard(log.child({ mod: 'net' }), (endpoint) =>
    metrics.connectionErrors.inc({ endpoint }),
  );
  const router = createHttpRouter(log.child({ mod: 'http' }), {
    bodyTimeoutMs: config.network.bodyTimeoutMs,
    onError: (e) => {
      metrics.errors.inc({ code: e.code, where: 'http' });
      if (e.code === 'internal') metrics.connectionErrors.inc({ endpoint: 'http' });
    },
  });
  const localClientAddress = createClientAddress(config.network.trustedProxies);
  const admission = new Admission(config.limits, () => metrics.refusals.inc({ reason: 'socket_cap' }));
  const storage = await openStorage(storageConfigOf(config), {
    historyRetentionDays: config.storage.historyRetentionDays,
    foldIntervalMs: config.storage.foldIntervalMs,
    log: log.child({ mod: 'storage' }),
  });
  const authSecret = resolveAuthSecret(config, log);
  const verifier = await createTokenVerifier({ ...config.auth, secret: authSecret });
  const credentials = new CredentialGuard(
    verifier,
    { failureBurst: config.network.authFailureBurst, failuresPerMin: config.network.authFailuresPerMin },
    () => metrics.refusals.inc({ reason: 'auth_backoff' }),
  );
  const readiness = new Map<string, ReadinessCheck>();
  const shutdownHooks: { fn: () => Promise<void> | void; order: number }[] = [];
  let accepting = false;

  const roots = new ClassRoots(storage.breakouts);
  const cluster = config.cluster
    ? await startClusterNode({
        config: config.cluster,
        log: log.child({ mod: 'cluster' }),
        clientAddress: localClientAddress,
        rootOf: (classId) => roots.rootOf(classId),
        classOfSession: async (sessionId) => (await storage.sessions.get(sessionId))?.classId,
        classOfPoll: async (pollId) => (await storage.polls.get(pollId))?.classId,
        classOfRecording: async (recordingId) => (await storage.recordings.get(recordingId))?.classId,
        onBusDropped: (reason) => metrics.clusterBusDropped.inc({ reason }),
        ...(storage.engine === 'postgres' && {
          raiseFence: (classId: string, token: number) => storage.fences.raise(classId, token),
        }),
      })
    : undefined;
  const clientAddress = cluster?.clientAddress ?? localClientAddress;
  const upgrades = createUpgradeRouter({ guard, admission, clientAddress });
  const removals = new Removals(storage.removals, (classId) => roots.rootOf(classId));
  const partial = {
    ...{ config, log, metrics, router, upgrades, storage, verifier, credentials, clientAddress },
    ...{ admission, guard, authSecret, readiness, roots, removals },
    jobs: cluster?.jobs ?? SINGLE_NODE_JOBS,
  } as const;
  // Documents as they were at a moment (the timeline, blame at a time), with checkpoints written as they change.
  const seeker = new DocumentSeeker({
    timeline: storage.timeline,
    documents: storage.documents,
    everyUpdates: config.storage.checkpointEveryUpdates,
    log: log.child({ mod: 'timeline' }),
  });
  const checkpoints = new CheckpointWriter(seeker, config.storage.checkpointEveryUpdates);
  const collab = createCollabService({
    ...partial,
    log: log.child({ mod: 'collab' }),
    admitUser: (user) => removals.check(user),
    ...(cluster && { mayWrite: (documentName: string) => cluster.mayWrite(documentName) }),
    onLogged: (document, appended, update) => checkpoints.logged(document, appended, update),
    extensions: [
      new RunRelayExtension({
        log: log.child({ mod: 'run' }),
        onResult: (result) => metrics.runEvents.inc({ result }),
      }),
      ...(cluster ? [cluster.gate] : []),
    ],
  });
  const ctx: AppContext = {
    ...partial,
    collab,
    onShutdown: (fn, order = 50) => shutdownHooks.push({ fn, order }),
  };

  readiness.set('database', () => storage.ping(DATABASE_PING_TIMEOUT_MS));
  if (cluster) readiness.set('redis', () => cluster.ping());
  installHealthRoutes(router, metrics, readiness, () => accepting);
  if (config.devTokens) installDevTokenRoutes(router, authSecret);
  installVersionRoutes(ctx);
  installStaticRoutes(ctx);
  installRunnerRoutes(ctx);
  const roomAdmission = createRoomAdmission({ removals, breakouts: storage.breakouts, locks: collab.locks });
  const media = await installMedia(ctx, {
    admission: cluster ? ownerOnlyAdmission(cluster, roomAdmission) : roomAdmission,
  });
  if (cluster) connectCluster(cluster, { collab, media, storage });
  const classroom = await installClassroom(ctx);
  if (cluster) {
    relayNotifications(cluster, classroom.notifications);
    relayClassNotices(cluster, classroom.notifier);
    armPollsOnAcquire(cluster, classroom.polls, log.child({ mod: 'cluster' }));
  }
  installWebhooks(ctx, classroom);
  installWorkspaces(ctx, classroom);
  installHistory(ctx, classroom, seeker);
  // One signer for recording downloads and the replay's video links (a random key without AUTH_SECRET).
  const recordingUrls = createSignedUrls(authSecret);
  await installRecording(ctx, classroom, recordingUrls);
  installTimeline(ctx, classroom, { urls: recordingUrls, seeker });

  const server = http.createServer(deadlineServerOptions(config.network), async (req, res) => {
    try {
      if (cluster && (await cluster.routeHttp(req, res))) return;
      if (await router.handle(req, res)) return;
      sendJson(res, 404, {
        error: { code: 'not_found', message: `no route for ${req.method} ${req.url?.split('?')[0]}` },
      });
    } catch (error) {
      guard.record('http', error);
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'internal', message: 'internal server error' } });
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (!accepting) return void socket.destroy();
    if (!cluster) return upgrades.handle(req, socket, head);
    socket.on('error', () => socket.destroy());
    cluster.routeUpgrade(req, socket, head).then(
      (forwarded) => {
        if (!forwarded) upgrades.handle(req, socket, head);
      },
      (error: unknown) => {
        guard.record('upgrade', error);
        socket.destroy();
      },
    );
  });
  installServerDeadlines(server, config.network, (reason) => metrics.refusals.inc({ reason }));

  let closing: Promise<void> | undefined;
  return {
    ctx,
    server,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      accepting = true;
      // After start-up a server error is an accept failure (EMFILE under a connection flood): logged and
      // counted, while the server keeps listening, rather than an uncaught exception that ends the process.
      server.on('error', (error) => guard.record('accept', error));
      const { port } = server.address() as AddressInfo;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return new URL(`http://${host}:${port}`);
    },
    close() {
      closing ??= (async () => {
        accepting = false;
        server.close();
        for (const { fn } of shutdownHooks.sort((a, b) => a.order - b.order)) {
          try {
            await fn();
          } catch (error) {
            log.error({ err: error }, 'shutdown step failed');
          }
        }
        await collab.close();
        // Drain: documents are flushed; now the leases go, so other nodes take the classes over at once.
        await cluster?.stop();
        server.closeAllConnections();
        await storage.close();
      })();
      return closing;
    },
  };
}

/** Loaded only with REDIS_URL, so a single node never loads the Redis client. */
async function startClusterNode(deps: ClusterNodeDeps) {
  const { ClusterNode } = await import('./cluster/ClusterNode.ts');
  const node = new ClusterNode(deps);
  await node.start();
  return node;
}

function storageConfigOf(config: Readonly<Config>): StorageConfig {
  const { databaseUrl, groupCommitMs } = config.storage;
  return databaseUrl
    ? { engine: 'postgres', url: databaseUrl, groupCommitDelayMs: groupCommitMs }
    : { engine: 'sqlite', dataDir: config.dataDir };
}
