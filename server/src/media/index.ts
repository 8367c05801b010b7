// Installs class media into the app: the worker pool, the `/media` signaling endpoint, readiness, the public
// status route, metrics and shutdown. If the mediasoup worker cannot start, documents keep working and
// /readyz and /api/media/status say why.
import fs from 'node:fs';
import os from 'node:os';
import { CLOSE_CODES, type MediaStatus, type RtpCapabilities } from '@tandem/shared';
import * as mediasoup from 'mediasoup';
import type { AppContext } from '../app.ts';
import type { Logger } from '../logger.ts';
import { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import { MEDIA_CODECS } from './codecs.ts';
import type { RoomAdmission } from './joinClass.ts';
import { MediaService } from './MediaService.ts';
import { createMediaMetrics } from './mediaMetrics.ts';
import { installMediaSocket, installUnavailableMediaSocket } from './mediaSocket.ts';
import { routeMediasoupLogs } from './mediasoupLogs.ts';
import { RtcListenError } from './rtcPortBinding.ts';
import { installMediaStatusRoute, type UnavailableKind, unavailableStatus } from './statusRoute.ts';
import { WorkerPool } from './WorkerPool.ts';

export type { RoomAdmission } from './joinClass.ts';
export type { MediaPeerEvent, MediaServiceEvents, UserAction, UserMedia } from './MediaService.ts';
export { MediaService };

const READINESS_KEY = 'optional:media';
/** Runs before other shutdown steps: peers get a clean close before the HTTP server goes. */
const SHUTDOWN_ORDER = 10;
const SETUP_HINT = 'run scripts/setup.sh (it builds the mediasoup worker), or set MEDIA_ENABLED=false';

const services = new WeakMap<AppContext, MediaService>();

interface StartedMedia {
  service: MediaService;
  status(): MediaStatus;
}

/** The MediaService installed into this app (an unavailable one if media is off). */
export function mediaServiceOf(ctx: AppContext): MediaService | undefined {
  return services.get(ctx);
}

export interface MediaInstallDeps {
  /** Who may join which room of their class (the classroom's rules: removals, pairs, breakout groups). */
  admission?: RoomAdmission;
}

export async function installMedia(ctx: AppContext, deps: MediaInstallDeps = {}): Promise<MediaService> {
  const log = ctx.log.child({ mod: 'media' });
  const { service, status } = await startMedia(ctx, log, deps);
  services.set(ctx, service);
  installMediaStatusRoute(ctx.router, status);
  return service;
}

async function startMedia(ctx: AppContext, log: Logger, deps: MediaInstallDeps): Promise<StartedMedia> {
  const settings = ctx.config.media;
  if (!settings.enabled) return unavailable(ctx, 'disabled by MEDIA_ENABLED=false', 'disabled');
  routeMediasoupLogs(log);

  if (!fs.existsSync(mediasoup.workerBin)) {
    const reason = `the mediasoup worker binary is missing (${mediasoup.workerBin})`;
    log.error(`media unavailable: ${reason}; to fix: ${SETUP_HINT}`);
    return unavailable(ctx, `${reason}; ${SETUP_HINT}`, 'failed');
  }
  let pool: WorkerPool;
  try {
    pool = await WorkerPool.start({
      count: settings.workers ?? os.availableParallelism(),
      rtcPort: settings.rtcPort,
      listenIp: settings.listenIp,
      announcedAddress: settings.announcedAddress,
      bindRetryMs: settings.bindRetryMs,
      log,
      workerLogLevel: log.isLevelEnabled('debug') ? 'debug' : 'warn',
    });
  } catch (error) {
    // A port that cannot be bound is not fixed by rebuilding: its message already says what to do.
    if (error instanceof RtcListenError) {
      log.error({ err: error }, `media unavailable: ${error.message}`);
      return unavailable(ctx, error.message, 'failed');
    }
    const reason = `the mediasoup worker did not start: ${(error as Error).message}`;
    log.error({ err: error }, `media unavailable: ${reason}; to fix: ${SETUP_HINT}`);
    return unavailable(ctx, `${reason}; ${SETUP_HINT}`, 'failed');
  }

  const registry = new ClassRoomRegistry({
    pool,
    maxPeers: settings.maxPeersPerClass,
    viewersPerRouter: settings.viewersPerRouter,
    defaultPolicy: settings.studentPublish,
    log,
  });
  const service = new MediaService(registry, pool);
  const mediaMetrics = createMediaMetrics(ctx.metrics.registry, () => service.counts());
  pool.on('workerDied', () => mediaMetrics.workerDeaths.inc());
  const endpoint = installMediaSocket(ctx.upgrades, {
    registry,
    verifier: ctx.verifier,
    credentials: ctx.credentials,
    guard: ctx.guard,
    log,
    metrics: ctx.metrics,
    mediaMetrics,
    routerRtpCapabilities: mediasoup.ortc.generateRouterRtpCapabilities(MEDIA_CODECS) as RtpCapabilities,
    heartbeatMs: settings.heartbeatMs,
    joinTimeoutMs: ctx.config.network.authTimeoutMs,
    admission: deps.admission,
  });
  ctx.readiness.set(READINESS_KEY, () =>
    pool.aliveCount > 0
      ? { ok: true, detail: `${pool.aliveCount}/${pool.size} mediasoup workers` }
      : { ok: false, detail: 'no mediasoup worker is running (restarting)' },
  );
  ctx.onShutdown(() => {
    service.close();
    endpoint.closeAll(CLOSE_CODES.goingAway, 'server shutting down');
  }, SHUTDOWN_ORDER);
  const ports = await pool.listeningPorts();
  log.info({ workers: pool.size, ports, announcedAddress: settings.announcedAddress }, 'media ready');
  const status = (): MediaStatus => {
    if (!service.available) return unavailableStatus('stopped');
    return pool.aliveCount > 0 ? { available: true } : unavailableStatus('restarting');
  };
  return { service, status };
}

/** `reason` is for operators (log, /readyz, the 4503 close); `kind` picks what participants are told. */
function unavailable(ctx: AppContext, reason: string, kind: UnavailableKind): StartedMedia {
  ctx.readiness.set(READINESS_KEY, () => ({ ok: false, detail: `media unavailable: ${reason}` }));
  installUnavailableMediaSocket(ctx.upgrades, ctx.guard, reason);
  return { service: MediaService.unavailable(reason), status: () => unavailableStatus(kind) };
}
