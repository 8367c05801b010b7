// Installs class recording into the app: the service over the class's media, the storage's recordings and the
// classroom's notices and indicators; its REST routes; recovery of recordings a crash left running; retention
// (both only on the node running the cluster's background jobs);
// and, on shutdown, every recorder stopped so its file is final (before class media closes).
import type { AppContext } from '../app.ts';
import type { Classroom } from '../classroom/Classroom.ts';
import { createReplayAccess } from '../classroom/replayAccess.ts';
import { createApi } from '../classroom/routeKit.ts';
import { MediaService, mediaServiceOf } from '../media/index.ts';
import { limitKey } from '../net/clientAddress.ts';
import { ExportJobs } from './export/ExportJobs.ts';
import { startLeftoverRecovery } from './leftovers.ts';
import { RecordingService } from './RecordingService.ts';
import { installRecordingRoutes } from './recordingRoutes.ts';
import { startRetention } from './retention.ts';
import { createSignedUrls, type SignedUrls } from './signedUrls.ts';

/** Before media (10) closes the Routers: recorders are stopped with SIGINT and their files finalized. */
const SHUTDOWN_ORDER = 5;
/** Recorders run below the live class's priority. */
const RECORDER_NICE = 5;
const READY_TIMEOUT_MS = 5000;
const CHECK_INTERVAL_MS = 2000;

const services = new WeakMap<AppContext, RecordingService>();

/** The recording service of this app (tests reach recorders through it). */
export function recordingServiceOf(ctx: AppContext): RecordingService | undefined {
  return services.get(ctx);
}

export async function installRecording(
  ctx: AppContext,
  room: Pick<Classroom, 'auth' | 'events' | 'notifier' | 'sessions' | 'recordingIndicators'>,
  urls: SignedUrls = createSignedUrls(ctx.authSecret),
): Promise<RecordingService> {
  const log = ctx.log.child({ mod: 'recording' });
  const { recording, recordingsDir } = ctx.config;
  const media = mediaServiceOf(ctx) ?? MediaService.unavailable('media is not installed');
  const service = new RecordingService({
    store: ctx.storage.recordings,
    sessions: room.sessions,
    media,
    events: room.events,
    notifier: room.notifier,
    indicators: room.recordingIndicators,
    settings: {
      dir: recordingsDir,
      ffmpegPath: recording.ffmpegPath,
      nice: RECORDER_NICE,
      readyTimeoutMs: READY_TIMEOUT_MS,
      minFreeBytes: recording.minFreeBytes,
      checkIntervalMs: CHECK_INTERVAL_MS,
    },
    log,
  });
  services.set(ctx, service);
  const leftovers = await startLeftoverRecovery(service, ctx.jobs, log);
  const exports = new ExportJobs({
    store: ctx.storage.recordings,
    recordingsDir,
    ffmpegPath: recording.ffmpegPath,
    log: log.child({ mod: 'export' }),
  });
  installRecordingRoutes(createApi(ctx.router, room.auth, ctx.removals), ctx.router, {
    exports,
    service,
    store: ctx.storage.recordings,
    sessions: room.sessions,
    urls,
    recordingsDir,
    replayAccess: createReplayAccess(ctx.storage.classes, recording.studentsMayWatch),
    addressOf: (req) => limitKey(ctx.clientAddress(req)),
  });
  const retention = startRetention({
    store: ctx.storage.recordings,
    recordingsDir,
    retentionDays: recording.retentionDays,
    exports,
    log,
    runsHere: () => ctx.jobs.runHere(),
  });
  ctx.onShutdown(async () => {
    retention.stop();
    leftovers.stop();
    await Promise.all([service.close(), exports.close()]);
  }, SHUTDOWN_ORDER);
  return service;
}
