// A recording the server left `recording` when it died: every segment without an end had its recorder killed
// with the server, so its file is remuxed (seekable again), its end taken from the file's duration, and the
// recording is marked failed with the reason. Pure but for the files it repairs and probes.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RecordingManifest } from '@tandem/shared';
import type { Logger } from '../logger.ts';
import { repairFile } from './repair.ts';

const run = promisify(execFile);
export const CRASH_REASON = 'the server stopped while recording';

export async function recoverRecording(
  manifest: RecordingManifest,
  folder: string | null,
  ffmpegPath: string,
  log: Logger,
): Promise<RecordingManifest> {
  const recovered = structuredClone(manifest);
  let lastEnd = 0;
  for (const track of recovered.tracks) {
    for (const segment of track.segments) {
      if (segment.endOffsetMs === null && folder) {
        const file = path.join(folder, segment.file);
        segment.repaired = await repairFile(ffmpegPath, file, segment.container, log);
        const seconds = await durationSeconds(ffprobeBeside(ffmpegPath), file);
        segment.endOffsetMs = segment.startOffsetMs + Math.round(seconds * 1000);
        segment.endReason = 'recorder-died';
        segment.bytes = await fs.stat(file).then(
          (s) => s.size,
          () => null,
        );
      }
      lastEnd = Math.max(lastEnd, segment.endOffsetMs ?? 0);
    }
  }
  for (const track of recovered.tracks) {
    const end = Math.max(track.startOffsetMs, ...track.segments.map((s) => s.endOffsetMs ?? 0));
    track.endOffsetMs ??= end;
    for (const p of track.pauses) p.endOffsetMs ??= end;
    for (const g of track.gaps) g.endOffsetMs ??= end;
  }
  recovered.state = 'failed';
  recovered.stopReason = CRASH_REASON;
  recovered.stoppedAt = (recovered.startedAt ?? 0) + lastEnd;
  return recovered;
}

/** ffprobe is installed beside ffmpeg (Debian's package ships both). */
export function ffprobeBeside(ffmpegPath: string): string {
  return ffmpegPath.replace(/ffmpeg$/, 'ffprobe');
}

export async function durationSeconds(ffprobe: string, file: string): Promise<number> {
  try {
    const { stdout } = await run(ffprobe, [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      file,
    ]);
    const seconds = Number.parseFloat(stdout.trim());
    return Number.isFinite(seconds) ? seconds : 0;
  } catch {
    return 0;
  }
}
