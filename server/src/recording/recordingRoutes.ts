// REST for class recordings (docs/api.md, "Recordings"):
//   POST   /api/sessions/<sid>/recording   {"action":"start"|"stop"}  staff or platform; answers the recording
//   GET    /api/sessions/<sid>/recordings  a session's recordings (manifests)
//   GET    /api/recordings/<id>            one manifest, each file with a short-lived signed download URL
//   GET    /api/recordings/<id>/files/<segmentId>?expires=&signature=   the file (HTTP ranges); no bearer
//   DELETE /api/recordings/<id>            staff or platform; refused while it records; stops its exports
//   POST   /api/recordings/<id>/exports    staff or platform: an MP4 export as a background job (202)
//   GET    /api/recordings/<id>/exports/<exportId>    its progress (and download URL once done)
//   DELETE /api/recordings/<id>/exports/<exportId>    cancel it (or delete a finished one)
// Who may watch: staff and platforms always; students and observers when the class's replayForStudents (or,
// unset, RECORDINGS_STUDENTS_MAY_WATCH) allows it (classroom/replayAccess.ts).
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { type RecordingManifest, type RecordingView, recordingActionBodySchema } from '@tandem/shared';
import type { Classroom } from '../classroom/Classroom.ts';
import { actorOf } from '../classroom/HandService.ts';
import { KeyedLimiter } from '../classroom/KeyedLimiter.ts';
import { type Principal, requireStaff } from '../classroom/principal.ts';
import type { ReplayAccess } from '../classroom/replayAccess.ts';
import type { Api } from '../classroom/routeKit.ts';
import { AppError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import type { RecordingStorage } from '../storage/types/recordings.ts';
import type { ExportJobs } from './export/ExportJobs.ts';
import type { RecordingService } from './RecordingService.ts';
import { sendFile } from './sendFile.ts';
import type { SignedUrls } from './signedUrls.ts';

export interface RecordingRouteDeps {
  service: RecordingService;
  store: RecordingStorage;
  sessions: Classroom['sessions'];
  urls: SignedUrls;
  recordingsDir: string;
  /** Students and observers watch when the class (or the server default) allows replay (replayAccess.ts). */
  replayAccess: ReplayAccess;
  exports: ExportJobs;
  /** The client's address of a request (download links are limited per address). */
  addressOf(req: IncomingMessage): string;
}

/** A `<video>` seeking asks for many ranges; this is per client address. */
const DOWNLOAD_REQUESTS_PER_SEC = 20;
const DOWNLOAD_BURST = 200;

const CONTENT_TYPES = {
  webm: { audio: 'audio/webm', video: 'video/webm' },
  mkv: { audio: 'audio/x-matroska', video: 'video/x-matroska' },
} as const;

export function installRecordingRoutes(api: Api, router: Router, deps: RecordingRouteDeps): void {
  const { service, store, sessions, urls } = deps;
  const mayWatch = (principal: Principal, classId: string) =>
    deps.replayAccess.require(principal, classId, 'watch recordings');
  const recordingFor = async (id: string): Promise<RecordingManifest> => {
    const manifest = await store.get(id);
    if (!manifest) throw new AppError('not_found', `no recording ${id}`);
    return manifest;
  };

  api.on('POST', '/api/sessions/:sessionId/recording', async (call) => {
    const session = await sessions.require(call.param('sessionId'));
    requireStaff(call.principal, session.classId, 'start or stop recording');
    const { action } = await call.body(recordingActionBodySchema);
    const actor = actorOf(call.principal);
    const recording =
      action === 'start'
        ? await service.start(session.id, call.principal.kind === 'user' ? actor.id : null)
        : await service.stop(session.id, `stopped by ${actor.name}`);
    call.reply(200, { recording });
  });

  api.on('GET', '/api/sessions/:sessionId/recordings', async (call) => {
    const session = await sessions.require(call.param('sessionId'));
    await mayWatch(call.principal, session.classId);
    call.reply(200, { recordings: await store.listBySession(session.id) });
  });

  api.on('GET', '/api/recordings/:recordingId', async (call) => {
    const manifest = await recordingFor(call.param('recordingId'));
    await mayWatch(call.principal, manifest.classId);
    call.reply(200, { recording: withUrls(manifest, urls) });
  });

  api.on('DELETE', '/api/recordings/:recordingId', async (call) => {
    const manifest = await recordingFor(call.param('recordingId'));
    requireStaff(call.principal, manifest.classId, 'delete recordings');
    if (service.isActive(manifest.id)) {
      throw new AppError('conflict', 'this recording is running: stop it first');
    }
    await deleteRecording(manifest, deps.recordingsDir, store, deps.exports);
    call.reply(200, { deleted: manifest.id });
  });

  const downloads = new KeyedLimiter(
    DOWNLOAD_REQUESTS_PER_SEC,
    DOWNLOAD_BURST,
    'too many downloads; slow down',
  );
  router.on(['GET', 'HEAD'], '/api/recordings/:recordingId/files/:segmentId', async (rc) => {
    downloads.take(deps.addressOf(rc.req));
    const { recordingId = '', segmentId = '' } = rc.params;
    if (!urls.verify(recordingId, segmentId, rc.query.get('expires'), rc.query.get('signature'))) {
      throw new AppError(
        'forbidden',
        'this download link is not valid or has expired; ask the API for a new one',
      );
    }
    const manifest = await recordingFor(recordingId);
    for (const track of manifest.tracks) {
      const segment = track.segments.find((s) => s.id === segmentId);
      if (!segment || !manifest.folder) continue;
      const file = path.join(deps.recordingsDir, manifest.folder, segment.file);
      return sendFile(rc.req, rc.res, file, CONTENT_TYPES[segment.container][track.kind], segment.file);
    }
    const done = manifest.exports?.find((e) => e.id === segmentId && e.state === 'done');
    if (done?.file && manifest.folder) {
      const file = path.join(deps.recordingsDir, manifest.folder, done.file);
      return sendFile(rc.req, rc.res, file, 'video/mp4', done.file);
    }
    throw new AppError('not_found', `no file ${segmentId} in recording ${recordingId}`);
  });

  api.on('POST', '/api/recordings/:recordingId/exports', async (call) => {
    const manifest = await recordingFor(call.param('recordingId'));
    requireStaff(call.principal, manifest.classId, 'export recordings');
    call.reply(202, { export: await deps.exports.create(manifest) });
  });

  api.on('GET', '/api/recordings/:recordingId/exports/:exportId', async (call) => {
    const manifest = await recordingFor(call.param('recordingId'));
    await mayWatch(call.principal, manifest.classId);
    const view = withUrls(manifest, urls).exports.find((e) => e.id === call.param('exportId'));
    if (!view) throw new AppError('not_found', `no export ${call.param('exportId')}`);
    call.reply(200, { export: view });
  });

  api.on('DELETE', '/api/recordings/:recordingId/exports/:exportId', async (call) => {
    const manifest = await recordingFor(call.param('recordingId'));
    requireStaff(call.principal, manifest.classId, 'cancel or delete exports');
    call.reply(200, { export: await deps.exports.cancel(manifest.id, call.param('exportId')) });
  });
}

/** The manifest with a fresh download link on every finished file. */
export function withUrls(manifest: RecordingManifest, urls: SignedUrls, now = Date.now()): RecordingView {
  let urlsExpireAt = now;
  const tracks = manifest.tracks.map((track) => ({
    ...track,
    segments: track.segments.map((segment) => {
      if (segment.bytes === null) return { ...segment, url: null };
      const signed = urls.sign(manifest.id, segment.id, now);
      urlsExpireAt = signed.expiresAt;
      return { ...segment, url: signed.url };
    }),
  }));
  const exports = (manifest.exports ?? []).map((e) => {
    if (e.state !== 'done') return { ...e, url: null };
    const signed = urls.sign(manifest.id, e.id, now);
    urlsExpireAt = signed.expiresAt;
    return { ...e, url: signed.url };
  });
  return { ...manifest, tracks, exports, urlsExpireAt };
}

/**
 * Removes a recording: its queued and running exports stopped, then its folder and its row (the files first:
 * a row never points at nothing it had).
 */
export async function deleteRecording(
  manifest: RecordingManifest,
  recordingsDir: string,
  store: RecordingStorage,
  exports: Pick<ExportJobs, 'forget'>,
): Promise<void> {
  await exports.forget(manifest.id);
  if (manifest.folder) {
    const folder = path.resolve(recordingsDir, manifest.folder);
    // The folder comes from our own manifest; still, never delete outside RECORDINGS_DIR.
    if (path.dirname(folder) !== path.resolve(recordingsDir)) {
      throw new AppError('internal', 'a recording folder outside RECORDINGS_DIR');
    }
    await fs.rm(folder, { recursive: true, force: true });
  }
  await store.remove(manifest.id);
}
