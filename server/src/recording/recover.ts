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
  // Recorders of a server killed outright (-9) outlive it, waiting for packets: stop them before their files
  // are repaired.
  if (folder) {
    const killed = await killRecordersWritingIn(folder);
    if (killed > 0) log.warn({ folder, killed }, 'recording: stopped recorders a crash left running');
  }
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

/** Kills ffmpeg processes whose command line writes into `folder` (recorders left by a crash); how many. */
export async function killRecordersWritingIn(folder: string): Promise<number> {
  const prefix = `${path.resolve(folder)}${path.sep}`;
  const pids: number[] = [];
  for (const entry of await fs.readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const argv = (await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!/(^|\/)ffmpeg$/.test(argv[0] ?? '')) continue;
    if (argv.some((arg) => arg.startsWith(prefix))) pids.push(Number(entry));
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  // Wait (briefly) until they are gone, so their files are no longer being written.
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 20));
  return pids.length;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
