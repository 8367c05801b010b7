// How loud each person's microphone was, second by second, read from the recording's files: ffmpeg decodes
// each microphone segment in blocks of one second (`asetnsamples`) and `astats` prints each block's RMS level.
// Run at the export's low priority; speakerTurns.ts turns the levels into camera switches.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RecordingManifest } from '@tandem/shared';
import { LEVEL_STEP_MS, type LevelSample } from './speakerTurns.ts';

const SAMPLE_RATE = 48_000;
const LEVEL_KEY = 'lavfi.astats.Overall.RMS_level';

export function levelArgs(file: string): string[] {
  const samplesPerStep = (SAMPLE_RATE * LEVEL_STEP_MS) / 1000;
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    file,
    '-map',
    '0:a:0',
    '-af',
    `aresample=${SAMPLE_RATE},asetnsamples=n=${samplesPerStep}:p=0,` +
      `astats=metadata=1:reset=1:measure_perchannel=none:measure_overall=RMS_level,` +
      `ametadata=mode=print:key=${LEVEL_KEY}:file=-`,
    '-f',
    'null',
    '-',
  ];
}

/** Parses ametadata's print-out (`frame:… pts_time:1.007` then `key=value`) into samples offset by `offsetMs`. */
export function parseLevels(output: string, offsetMs: number): LevelSample[] {
  const samples: LevelSample[] = [];
  let atMs: number | null = null;
  for (const line of output.split('\n')) {
    const time = /pts_time:(-?[\d.]+)/.exec(line);
    if (time) {
      atMs = offsetMs + Math.round(Number(time[1]) * 1000);
      continue;
    }
    if (atMs === null || !line.startsWith(`${LEVEL_KEY}=`)) continue;
    const value = line.slice(LEVEL_KEY.length + 1).trim();
    samples.push({ atMs, db: value === '-inf' ? Number.NEGATIVE_INFINITY : Number(value) });
    atMs = null;
  }
  return samples;
}

/** Every microphone's levels by person, over all its segments, on the recording's offsets. */
export async function micLevels(
  manifest: RecordingManifest,
  folder: string,
  run: { ffmpegPath: string; nice: number },
): Promise<Map<string, LevelSample[]>> {
  const levels = new Map<string, LevelSample[]>();
  for (const track of manifest.tracks) {
    if (track.source !== 'mic') continue;
    for (const segment of track.segments) {
      if (!segment.bytes || segment.endOffsetMs === null) continue;
      const output = await runFfmpeg(run, levelArgs(path.join(folder, segment.file)));
      const list = levels.get(track.userId) ?? [];
      list.push(...parseLevels(output, segment.startOffsetMs));
      levels.set(track.userId, list);
    }
  }
  return levels;
}

function runFfmpeg(run: { ffmpegPath: string; nice: number }, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', String(run.nice), run.ffmpegPath, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-1000);
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`ffmpeg could not read a microphone's levels: ${err}`)),
    );
  });
}
