// Proof that the recorders really recorded a measured window: every file of the recording exists, ffprobe reads
// a duration within a second of its segment's length in the manifest, and every track has a segment spanning
// the whole window.
import fs from 'node:fs';
import path from 'node:path';
import type { RecordingManifest } from '@tandem/shared';
import { probe } from '../../test/helpers/ffmpegRtp.ts';

/** The tolerance for a recorded file's duration. */
const DURATION_TOLERANCE_SEC = 1;

export interface RecordedFilesCheck {
  recordingId: string;
  state: string;
  tracks: number;
  files: number;
  missingFiles: number;
  /** Shortest and longest file, seconds (ffprobe). */
  durationSec: { min: number; max: number };
  /** Largest |ffprobe duration − segment length in the manifest|, seconds, and the file it was. */
  maxDeviationSec: number;
  worst: { file: string; probedSec: number; manifestSec: number } | null;
  /** Tracks with one segment that spans the whole measured window. */
  tracksSpanningWindow: number;
  ok: boolean;
}

export async function checkRecordedFiles(
  recordingsDir: string,
  manifest: RecordingManifest,
  window: { startedAt: number; endedAt: number },
): Promise<RecordedFilesCheck> {
  let files = 0;
  let missingFiles = 0;
  let maxDeviationSec = 0;
  let worst: RecordedFilesCheck['worst'] = null;
  let tracksSpanningWindow = 0;
  const durations: number[] = [];
  const startedAt = manifest.startedAt ?? Number.NaN;
  for (const track of manifest.tracks) {
    let spans = false;
    for (const segment of track.segments) {
      files++;
      const file = path.join(recordingsDir, manifest.folder ?? '', segment.file);
      if (!fs.existsSync(file) || segment.endOffsetMs === null) {
        missingFiles++;
        continue;
      }
      const { durationSec } = await probe(file);
      durations.push(durationSec);
      const expectedSec = (segment.endOffsetMs - segment.startOffsetMs) / 1000;
      const deviation = Number.isFinite(durationSec)
        ? Math.abs(durationSec - expectedSec)
        : Number.POSITIVE_INFINITY;
      if (deviation >= maxDeviationSec) {
        maxDeviationSec = deviation;
        worst = { file: segment.file, probedSec: durationSec, manifestSec: expectedSec };
      }
      if (
        startedAt + segment.startOffsetMs <= window.startedAt &&
        startedAt + segment.endOffsetMs >= window.endedAt &&
        durationSec >= (window.endedAt - window.startedAt) / 1000 - DURATION_TOLERANCE_SEC
      ) {
        spans = true;
      }
    }
    if (spans) tracksSpanningWindow++;
  }
  return {
    recordingId: manifest.id,
    state: manifest.state,
    tracks: manifest.tracks.length,
    files,
    missingFiles,
    durationSec: { min: Math.min(...durations), max: Math.max(...durations) },
    maxDeviationSec,
    worst,
    tracksSpanningWindow,
    ok:
      manifest.state === 'stopped' &&
      files > 0 &&
      missingFiles === 0 &&
      maxDeviationSec <= DURATION_TOLERANCE_SEC &&
      tracksSpanningWindow === manifest.tracks.length,
  };
}
