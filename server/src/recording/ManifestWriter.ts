// Keeps one recording's manifest: offsets on the server clock, tracks and their segments, pauses and gaps as
// they happen, saved through the storage interface and as `manifest.json` beside the files. Saves are
// coalesced (a burst of changes is one write) and serialized (never two writes of one recording at once).
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  RECORDING_MANIFEST_FILE,
  type RecordingManifest,
  type RecordingSegment,
  type RecordingTrack,
} from '@tandem/shared';
import type { Logger } from '../logger.ts';
import type { RecordingStorage } from '../storage/types/recordings.ts';

const SAVE_DELAY_MS = 200;

export class ManifestWriter {
  #timer: NodeJS.Timeout | undefined;
  #saving: Promise<void> = Promise.resolve();
  #lastError: string | undefined;

  constructor(
    readonly manifest: RecordingManifest,
    /** The recording's folder (its files and manifest.json). */
    readonly folder: string,
    private readonly store: RecordingStorage,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds since the recording started, on the server clock. */
  offset(at = this.now()): number {
    return Math.max(0, at - (this.manifest.startedAt ?? at));
  }

  addTrack(track: RecordingTrack): RecordingTrack {
    this.manifest.tracks.push(track);
    this.changed();
    return track;
  }

  addSegment(track: RecordingTrack, segment: RecordingSegment): RecordingSegment {
    track.segments.push(segment);
    this.changed();
    return segment;
  }

  /** Something in the manifest changed: it is saved shortly. */
  changed(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.save();
    }, SAVE_DELAY_MS);
    this.#timer.unref?.();
  }

  /** Saves now (after any save under way); never rejects (a failed save is logged and retried next time). */
  save(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const snapshot = structuredClone(this.manifest);
    this.#saving = this.#saving.then(async () => {
      try {
        await this.store.save(snapshot, this.now());
      } catch (error) {
        this.log.error({ err: error }, 'recording manifest: storage write failed');
      }
      try {
        await writeManifestFile(this.folder, snapshot);
        this.#lastError = undefined;
      } catch (error) {
        // A folder that cannot be written is the recorder's fault to report; say it once here.
        const message = (error as Error).message;
        if (message !== this.#lastError)
          this.log.warn({ err: error }, 'recording manifest: file write failed');
        this.#lastError = message;
      }
    });
    return this.#saving;
  }
}

/** Writes manifest.json atomically (a reader never sees half a file). */
export async function writeManifestFile(folder: string, manifest: RecordingManifest): Promise<void> {
  const target = path.join(folder, RECORDING_MANIFEST_FILE);
  const temp = `${target}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await fs.rename(temp, target);
}
