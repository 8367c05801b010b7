// The recordings of live classes: start and stop (by staff, the platform, a session's start and end), one
// recording at a time per class, following the class's main call as it opens and closes; the class's
// "Recording" indicator and notices; faults that stop a recording (the folder cannot be written, the disk is
// full) with staff told why; recordings left `recording` by a crash repaired at start; finalized on shutdown.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RecordingIndicator, RecordingManifest } from '@tandem/shared';
import type { ClassEvents } from '../classroom/ClassEvents.ts';
import type { ClassNotifier } from '../classroom/ClassNotifier.ts';
import type { RecordingIndicators } from '../classroom/RecordingIndicators.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { MediaService } from '../media/MediaService.ts';
import type { RecordingStorage } from '../storage/types/recordings.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import { ManifestWriter, writeManifestFile } from './ManifestWriter.ts';
import { armRecording, newManifest } from './newManifest.ts';
import { RoomRecorder } from './RoomRecorder.ts';
import { recoverRecording } from './recover.ts';
import type { RecorderSettings } from './TrackRecorder.ts';

export interface RecordingServiceSettings extends RecorderSettings {
  /** RECORDINGS_DIR (absolute). */
  dir: string;
  /** Below this much free space in the recording's folder, recording stops. */
  minFreeBytes: number;
  /** How often the folder and the free space are checked. */
  checkIntervalMs: number;
}

export interface RecordingServiceDeps {
  store: RecordingStorage;
  sessions: Pick<SessionStorage, 'require'>;
  media: Pick<MediaService, 'available' | 'mainRoom' | 'on'>;
  events: Pick<ClassEvents, 'on'>;
  notifier: Pick<ClassNotifier, 'toClass'>;
  indicators: RecordingIndicators;
  settings: RecordingServiceSettings;
  log: Logger;
}

interface ActiveRecording {
  writer: ManifestWriter;
  rooms: RoomRecorder[];
  checkTimer: NodeJS.Timeout;
  stopping: Promise<RecordingManifest> | undefined;
}

export class RecordingService {
  /** By main class id. */
  readonly #active = new Map<string, ActiveRecording>();
  /** Recordings still starting, by session: a stop that arrives meanwhile waits for them (else it finds none). */
  readonly #beginning = new Map<string, Promise<RecordingManifest>>();
  #closed = false;
  #ffmpegCheck: Promise<boolean> | undefined;

  constructor(private readonly deps: RecordingServiceDeps) {
    deps.media.on('classOpened', ({ classId }) => this.#attach(classId));
    deps.events.on('sessionStarted', ({ sessionId }) => this.#startScheduled(sessionId));
    deps.events.on('sessionEnded', async ({ sessionId }) => {
      await this.stop(sessionId, 'the session ended').catch(() => {});
    });
  }

  /** The running recording of a class (tests reach its recorders through it). */
  active(classId: string): { manifest: RecordingManifest; rooms: readonly RoomRecorder[] } | undefined {
    const a = this.#active.get(classId);
    return a && { manifest: a.writer.manifest, rooms: a.rooms };
  }

  /**
   * Starts recording a live session, or arms a scheduled one to record from its start. Answers the recording
   * (the running one when it is already recording).
   */
  async start(sessionId: string, byId: string | null): Promise<RecordingManifest> {
    if (this.#closed) throw new AppError('unavailable', 'the server is shutting down');
    const session = await this.deps.sessions.require(sessionId);
    if (session.state === 'ended')
      throw new AppError('conflict', 'this session has ended: nothing to record');
    const running = this.#active.get(session.classId);
    if (running) {
      if (running.writer.manifest.sessionId === sessionId && !running.stopping)
        return running.writer.manifest;
      throw new AppError('conflict', 'this class is being recorded already; stop that recording first');
    }
    if (session.state === 'scheduled') return armRecording(this.deps.store, session, byId);
    const armed = (await this.deps.store.listBySession(sessionId)).find((r) => r.state === 'scheduled');
    // Without class media (MEDIA_ENABLED=false, no worker) a recording has no tracks until media comes back.
    const manifest = armed ?? newManifest(sessionId, session.classId, byId, 'recording');
    return this.#begin(manifest, armed !== undefined);
  }

  /** Stops a session's recording (or disarms a scheduled one); answers it. */
  async stop(sessionId: string, reason: string): Promise<RecordingManifest> {
    await this.#beginning.get(sessionId)?.catch(() => undefined);
    for (const [classId, active] of this.#active) {
      if (active.writer.manifest.sessionId === sessionId)
        return this.#stop(classId, active, 'stopped', reason);
    }
    const recordings = await this.deps.store.listBySession(sessionId);
    const armed = recordings.find((r) => r.state === 'scheduled');
    if (armed) {
      const disarmed = { ...armed, state: 'stopped' as const, stopReason: reason, stoppedAt: Date.now() };
      await this.deps.store.save(disarmed, Date.now());
      return disarmed;
    }
    const last = recordings.at(-1);
    if (!last) throw new AppError('not_found', 'this session has no recording');
    return last;
  }

  /** Whether a recording is running (it cannot be deleted then). */
  isActive(recordingId: string): boolean {
    for (const a of this.#active.values()) if (a.writer.manifest.id === recordingId) return true;
    return false;
  }

  /** Finalizes every running recording (SIGINT to each recorder, then wait). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      [...this.#active].map(([classId, a]) => this.#stop(classId, a, 'stopped', 'the server shut down')),
    );
  }

  /**
   * Recordings a crash left `recording` get their files repaired and are marked failed (in storage and in
   * their manifest.json): at start, and in a
   * cluster also those of a node that died (`isLive`: the class is served by a live node, so not a leftover).
   */
  async recoverLeftovers(
    isLive: (manifest: RecordingManifest) => Promise<boolean> = () => Promise.resolve(false),
  ): Promise<number> {
    const left: RecordingManifest[] = [];
    for (const manifest of await this.deps.store.inState('recording')) {
      // In a cluster a recording whose class a live node serves is that node's, in progress.
      if (!(await isLive(manifest))) left.push(manifest);
    }
    for (const manifest of left) {
      const folder = manifest.folder ? path.join(this.deps.settings.dir, manifest.folder) : null;
      const recovered = await recoverRecording(
        manifest,
        folder,
        this.deps.settings.ffmpegPath,
        this.deps.log,
      );
      await this.deps.store.save(recovered, Date.now());
      // manifest.json beside the files says what storage says (failed, the repaired segments).
      if (folder) {
        await writeManifestFile(folder, recovered).catch((error: unknown) =>
          this.deps.log.warn({ err: error, recordingId: manifest.id }, 'recovered manifest.json not written'),
        );
      }
    }
    if (left.length > 0)
      this.deps.log.warn({ recordings: left.length }, 'recovered recordings left by a crash');
    return left.length;
  }

  async #begin(manifest: RecordingManifest, stored: boolean): Promise<RecordingManifest> {
    const begun = this.#beginNow(manifest, stored);
    this.#beginning.set(manifest.sessionId, begun);
    try {
      return await begun;
    } finally {
      if (this.#beginning.get(manifest.sessionId) === begun) this.#beginning.delete(manifest.sessionId);
    }
  }

  async #beginNow(manifest: RecordingManifest, stored: boolean): Promise<RecordingManifest> {
    const { store, settings, log } = this.deps;
    this.#ffmpegCheck ??= ffmpegRuns(settings.ffmpegPath);
    if (!(await this.#ffmpegCheck)) {
      this.#ffmpegCheck = undefined;
      const reason = `ffmpeg does not run (${settings.ffmpegPath}): install it (scripts/setup.sh) or set FFMPEG_PATH`;
      this.#tell(manifest.classId, null, `Recording did not start: ${reason}`);
      throw new AppError('unavailable', reason);
    }
    const startedAt = Date.now();
    const folder = folderName(manifest.classId, startedAt, manifest.id);
    const absolute = path.join(settings.dir, folder);
    try {
      await fs.mkdir(absolute, { recursive: true });
      await fs.access(absolute, fs.constants.W_OK);
    } catch (error) {
      const reason = `cannot write recordings in ${settings.dir}: ${(error as Error).message}`;
      log.error({ err: error }, 'recording could not start');
      this.#tell(manifest.classId, null, `Recording did not start: ${reason}`);
      if (stored)
        await store.save(
          { ...manifest, state: 'failed', stopReason: reason, stoppedAt: startedAt },
          startedAt,
        );
      throw new AppError('unavailable', reason);
    }
    Object.assign(manifest, { state: 'recording', startedAt, folder });
    if (stored) await store.save(manifest, startedAt);
    else await store.create(manifest, startedAt);
    const writer = new ManifestWriter(manifest, absolute, store, log.child({ recordingId: manifest.id }));
    await writer.save();
    const active: ActiveRecording = {
      writer,
      rooms: [],
      stopping: undefined,
      checkTimer: setInterval(() => void this.#checkFolder(manifest.classId), settings.checkIntervalMs),
    };
    active.checkTimer.unref?.();
    this.#active.set(manifest.classId, active);
    this.#attach(manifest.classId);
    const indicator: RecordingIndicator = { recordingId: manifest.id, state: 'recording', startedAt };
    this.deps.indicators.set(manifest.classId, indicator);
    this.#tell(manifest.classId, indicator, null);
    log.info({ classId: manifest.classId, recordingId: manifest.id, folder }, 'recording started');
    return manifest;
  }

  #attach(classId: string): void {
    const active = this.#active.get(classId);
    const room = this.deps.media.mainRoom(classId);
    if (!active || active.stopping || !room || room.closed) return;
    if (active.rooms.some((r) => r.room === room)) return;
    const recorder = new RoomRecorder({
      room,
      writer: active.writer,
      settings: this.deps.settings,
      onWriteFailure: (reason) => void this.#fail(classId, reason),
      log: this.deps.log.child({ classId, recordingId: active.writer.manifest.id }),
    });
    active.rooms.push(recorder);
    recorder.start();
  }

  async #startScheduled(sessionId: string): Promise<void> {
    const armed = (await this.deps.store.listBySession(sessionId)).find((r) => r.state === 'scheduled');
    if (!armed || this.#closed) return;
    await this.#begin(armed, true).catch((error: unknown) =>
      this.deps.log.error({ err: error, sessionId }, 'recording from the session start failed'),
    );
  }

  #stop(
    classId: string,
    active: ActiveRecording,
    state: 'stopped' | 'failed',
    reason: string,
  ): Promise<RecordingManifest> {
    active.stopping ??= (async () => {
      clearInterval(active.checkTimer);
      await Promise.all(active.rooms.map((r) => r.stop('stopped')));
      const { manifest } = active.writer;
      Object.assign(manifest, { state, stoppedAt: Date.now(), stopReason: reason });
      // The class state stops saying "Recording" no later than the stored manifest says it stopped.
      this.deps.indicators.set(classId, null);
      await active.writer.save();
      this.#active.delete(classId);
      this.#tell(classId, null, state === 'failed' ? `Recording stopped: ${reason}` : null);
      this.deps.log.info({ classId, recordingId: manifest.id, state, reason }, 'recording stopped');
      return manifest;
    })();
    return active.stopping;
  }

  async #fail(classId: string, reason: string): Promise<void> {
    const active = this.#active.get(classId);
    if (active) await this.#stop(classId, active, 'failed', reason);
  }

  async #checkFolder(classId: string): Promise<void> {
    const active = this.#active.get(classId);
    if (!active || active.stopping) return;
    const folder = active.writer.folder;
    try {
      const stat = await fs.stat(folder);
      if (!stat.isDirectory()) throw new Error('it is not a folder any more');
      await fs.access(folder, fs.constants.W_OK);
      const space = await fs.statfs(folder);
      const free = space.bavail * space.bsize;
      if (free < this.deps.settings.minFreeBytes) {
        return this.#fail(classId, `the disk is full (${Math.floor(free / 1048576)} MB free in ${folder})`);
      }
    } catch (error) {
      await this.#fail(
        classId,
        `the recording folder ${folder} cannot be written: ${(error as Error).message}`,
      );
    }
  }

  #tell(classId: string, recording: RecordingIndicator | null, problem: string | null): void {
    this.deps.notifier.toClass(classId, { type: 'recording', recording, problem });
  }
}

/** Whether `ffmpeg -version` runs (checked before the first recording, again after a failure). */
function ffmpegRuns(ffmpegPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(ffmpegPath, ['-version'], { timeout: 10_000 }, (error) => resolve(!error));
  });
}

/** `<classId>-<UTC start, compact ISO>-<recording id>`: sorted by class, then time. */
export function folderName(classId: string, startedAt: number, recordingId: string): string {
  const stamp = new Date(startedAt)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${classId}-${stamp}-${recordingId}`;
}
