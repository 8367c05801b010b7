// MP4 exports as background jobs: one ffmpeg at a time (queued after it), at the lowest CPU priority (nice 19)
// so live classes are not slowed, its progress read from `-progress` and kept in the recording's manifest
// (stored, so a client polls it, and written to the recording's manifest.json), cancellable (the process is
// killed and the partial file removed). An export running when the server stops is marked failed; the exports
// of a recording being deleted are dropped.
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RecordingExport, RecordingManifest } from '@tandem/shared';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { RecordingStorage } from '../../storage/types/recordings.ts';
import { writeManifestFile } from '../ManifestWriter.ts';
import { exportDurationMs, exportPlan } from './exportPlan.ts';
import { type SpeakerTurn, speakerTurns } from './speakerTurns.ts';
import { micLevels } from './speechLevels.ts';

export interface ExportJobsDeps {
  store: RecordingStorage;
  recordingsDir: string;
  ffmpegPath: string;
  log: Logger;
}

/** Progress is saved at most this often (it arrives several times a second). */
const SAVE_PROGRESS_MS = 1000;
const EXPORT_NICE = 19;
/** Exports kept per recording (finished or not); the oldest finished one must be deleted first. */
export const MAX_EXPORTS_PER_RECORDING = 5;

interface Job {
  recordingId: string;
  exportId: string;
  child?: ChildProcess;
  cancelled: boolean;
}

export class ExportJobs {
  #queue: Job[] = [];
  #running: Job | undefined;
  /** Manifest updates of one recording, one at a time. */
  #writes = new Map<string, Promise<unknown>>();
  #closed = false;

  constructor(private readonly deps: ExportJobsDeps) {}

  /** Queues an export of a stopped recording; answers it (`queued`). */
  async create(manifest: RecordingManifest): Promise<RecordingExport> {
    if (manifest.state !== 'stopped' && manifest.state !== 'failed') {
      throw new AppError('conflict', 'only a finished recording can be exported: stop it first');
    }
    if (!manifest.folder) throw new AppError('conflict', 'this recording has no files');
    if ((manifest.exports ?? []).length >= MAX_EXPORTS_PER_RECORDING) {
      throw new AppError(
        'conflict',
        `at most ${MAX_EXPORTS_PER_RECORDING} exports per recording: delete one`,
      );
    }
    const created: RecordingExport = {
      id: `exp_${crypto.randomBytes(6).toString('base64url')}`,
      state: 'queued',
      progress: 0,
      file: null,
      bytes: null,
      error: null,
      createdAt: Date.now(),
      finishedAt: null,
      speed: null,
    };
    await this.#update(manifest.id, (m) => {
      m.exports = [...(m.exports ?? []), created];
    });
    this.#queue.push({ recordingId: manifest.id, exportId: created.id, cancelled: false });
    void this.#next();
    return created;
  }

  /** Cancels a queued or running export, or deletes a finished one's file; answers it. */
  async cancel(recordingId: string, exportId: string): Promise<RecordingExport> {
    const job = [this.#running, ...this.#queue].find((j) => j?.exportId === exportId);
    if (job) {
      job.cancelled = true;
      this.#queue = this.#queue.filter((j) => j !== job);
      job.child?.kill('SIGKILL');
    }
    let result: RecordingExport | undefined;
    await this.#update(recordingId, async (m) => {
      const found = m.exports?.find((e) => e.id === exportId);
      if (!found) throw new AppError('not_found', `no export ${exportId} of recording ${recordingId}`);
      if (found.state === 'queued' || found.state === 'running') {
        Object.assign(found, { state: 'cancelled', finishedAt: Date.now() });
      } else {
        m.exports = m.exports?.filter((e) => e !== found);
      }
      if (found.file && m.folder)
        await fs.rm(path.join(this.deps.recordingsDir, m.folder, found.file), { force: true });
      result = found;
    });
    return result!;
  }

  /**
   * Drops a recording's queued and running exports without touching its manifest (it is being deleted):
   * answers once the running one's ffmpeg has exited, so nothing writes into the folder after.
   */
  async forget(recordingId: string): Promise<void> {
    this.#queue = this.#queue.filter((j) => j.recordingId !== recordingId);
    const job = this.#running;
    if (job?.recordingId === recordingId) {
      job.cancelled = true;
      const child = job.child;
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('close', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    }
    // A progress save under way ends before the row and folder go.
    await this.#writes.get(recordingId)?.catch(() => {});
  }

  /** Stops the running export (marked failed) and drops the queue. */
  async close(): Promise<void> {
    this.#closed = true;
    const jobs = [this.#running, ...this.#queue].filter((j): j is Job => !!j);
    this.#queue = [];
    for (const job of jobs) {
      job.cancelled = true;
      job.child?.kill('SIGKILL');
      await this.#update(job.recordingId, (m) => {
        const e = m.exports?.find((x) => x.id === job.exportId);
        if (e && (e.state === 'queued' || e.state === 'running')) {
          Object.assign(e, { state: 'failed', error: 'the server stopped', finishedAt: Date.now() });
        }
      }).catch(() => {});
    }
  }

  async #next(): Promise<void> {
    if (this.#running || this.#closed) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#running = job;
    try {
      await this.#run(job);
    } catch (error) {
      // A job dropped with its recording (forget) fails for want of its manifest: nothing to report.
      if (job.cancelled) return;
      this.deps.log.error({ err: error, exportId: job.exportId }, 'export failed');
      await this.#update(job.recordingId, (m) => {
        const e = m.exports?.find((x) => x.id === job.exportId);
        if (e && e.state !== 'cancelled') {
          Object.assign(e, { state: 'failed', error: (error as Error).message, finishedAt: Date.now() });
        }
      }).catch(() => {});
    } finally {
      this.#running = undefined;
      void this.#next();
    }
  }

  /** Who speaks when, from the microphones' files; without it the camera is the main speaker's throughout. */
  async #speakerTurns(manifest: RecordingManifest, folder: string): Promise<SpeakerTurn[]> {
    try {
      const levels = await micLevels(manifest, folder, {
        ffmpegPath: this.deps.ffmpegPath,
        nice: EXPORT_NICE,
      });
      return speakerTurns(levels, exportDurationMs(manifest));
    } catch (error) {
      this.deps.log.warn(
        { err: error, recordingId: manifest.id },
        'export: speaker levels unreadable, main speaker only',
      );
      return [];
    }
  }

  async #run(job: Job): Promise<void> {
    const manifest = await this.deps.store.get(job.recordingId);
    if (!manifest?.folder || job.cancelled) return;
    const folder = path.join(this.deps.recordingsDir, manifest.folder);
    const file = `export-${job.exportId}.mp4`;
    const outPath = path.join(folder, file);
    const startedAt = Date.now();
    await this.#update(job.recordingId, (m) => {
      const e = m.exports?.find((x) => x.id === job.exportId);
      if (e) e.state = 'running';
    });
    // Reading the microphones is part of the running export (0.2 s per minute of microphone, bench:export).
    const plan = exportPlan(manifest, folder, outPath, await this.#speakerTurns(manifest, folder));
    if (job.cancelled) return;
    const child = spawn('nice', ['-n', String(EXPORT_NICE), this.deps.ffmpegPath, ...plan.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    job.child = child;
    let stderr = '';
    let savedAt = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-2000);
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const us = [...chunk.matchAll(/out_time_us=(\d+)/g)].at(-1)?.[1];
      if (!us || Date.now() - savedAt < SAVE_PROGRESS_MS) return;
      savedAt = Date.now();
      const progress = Math.min(0.99, Number(us) / 1e6 / plan.durationSec);
      void this.#update(job.recordingId, (m) => {
        const e = m.exports?.find((x) => x.id === job.exportId);
        if (e?.state === 'running') e.progress = progress;
      }).catch(() => {});
    });
    const code = await new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null));
      child.once('close', (c) => resolve(c));
    });
    if (job.cancelled) {
      await fs.rm(outPath, { force: true });
      return;
    }
    if (code !== 0) {
      await fs.rm(outPath, { force: true });
      throw new Error(`ffmpeg failed (${code}): ${stderr.trim().split('\n').slice(-2).join(' ')}`);
    }
    const bytes = (await fs.stat(outPath)).size;
    const elapsedSec = (Date.now() - startedAt) / 1000;
    await this.#update(job.recordingId, (m) => {
      const e = m.exports?.find((x) => x.id === job.exportId);
      if (!e) return;
      Object.assign(e, {
        state: 'done',
        progress: 1,
        file,
        bytes,
        finishedAt: Date.now(),
        speed: Math.round((plan.durationSec / Math.max(elapsedSec, 0.001)) * 10) / 10,
      });
    });
    this.deps.log.info({ recordingId: job.recordingId, exportId: job.exportId, elapsedSec }, 'export done');
  }

  /**
   * Reads, changes and saves one recording's manifest (storage, then its manifest.json), one change at a time
   * per recording.
   */
  #update(recordingId: string, change: (m: RecordingManifest) => void | Promise<void>): Promise<void> {
    const previous = this.#writes.get(recordingId) ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(async () => {
        const manifest = await this.deps.store.get(recordingId);
        if (!manifest) throw new AppError('not_found', `no recording ${recordingId}`);
        await change(manifest);
        await this.deps.store.save(manifest, Date.now());
        if (manifest.folder) {
          await writeManifestFile(path.join(this.deps.recordingsDir, manifest.folder), manifest).catch(
            (error: unknown) =>
              this.deps.log.warn({ err: error, recordingId }, 'export: manifest.json not written'),
          );
        }
      });
    this.#writes.set(recordingId, next);
    return next;
  }
}
