// The running half of class media, loaded by index.ts only when media is on: mediasoup, the worker pool, the
// `/media` signaling endpoint, readiness, metrics and shutdown.
import fs from 'node:fs';
import os from 'node:os';
import {
  CLOSE_CODES,
  type MediaStatus,
  type MediaUnavailableKind,
  type RtpCapabilities,
} from '@tandem/shared';
import * as mediasoup from 'mediasoup';
import type { AppContext } from '../app.ts';
import type { Logger } from '../logger.ts';
import { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import { MEDIA_CODECS } from './codecs.ts';
import { type MediaInstallDeps, READINESS_KEY, type StartedMedia } from './index.ts';
import { MediaService } from './MediaService.ts';
import { createMediaMetrics } from './mediaMetrics.ts';
import { installMediaSocket } from './mediaSocket.ts';
import { routeMediasoupLogs } from './mediasoupLogs.ts';
import { RtcListenError } from './rtcPortBinding.ts';
import { unavailableStatus } from './statusRoute.ts';
import { WorkerPool } from './WorkerPool.ts';

/** Runs before other shutdown steps: peers get a clean close before the HTTP server goes. */
const SHUTDOWN_ORDER = 10;
const SETUP_HINT = 'run scripts/setup.sh (it builds the mediasoup worker), or set MEDIA_ENABLED=false';

export async function startRunningMedia(
  ctx: AppContext,
  log: Logger,
  deps: MediaInstallDeps,
  unavailable: (ctx: AppContext, reason: string, kind: MediaUnavailableKind) => StartedMedia,
): Promise<StartedMedia> {
  const settings = ctx.config.media;
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
