// The export's small camera follows the active speaker, with real ffmpeg media: two people, Ana speaks in the
// first half and Ben in the second; Ana's camera is red, Ben's blue, the shared screen green. The microphone
// levels give two turns, and frames of the exported MP4 show Ana's camera in the corner in the first half and
// Ben's in the second, over the screen.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordingManifest, RecordingTrack } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPORT_HEIGHT,
  EXPORT_WIDTH,
  exportPlan,
} from '../../../../server/src/recording/export/exportPlan.ts';
import { type SpeakerTurn, speakerTurns } from '../../../../server/src/recording/export/speakerTurns.ts';
import { micLevels } from '../../../../server/src/recording/export/speechLevels.ts';
import { FFMPEG } from '../../../helpers/ffmpegRtp.ts';

const SECONDS = 12;
const HALF = SECONDS / 2;
let folder: string;
let manifest: RecordingManifest;

const tone = (from: number, to: number) =>
  `aevalsrc=exprs='if(between(t,${from},${to}),0.4*sin(2*PI*330*t),0)':s=48000:d=${SECONDS}`;
const solid = (colour: string, size: string) => `color=c=${colour}:s=${size}:r=10:d=${SECONDS}`;

function track(id: string, userId: string, source: RecordingTrack['source'], file: string): RecordingTrack {
  return {
    id,
    producerId: `p-${id}`,
    userId,
    name: userId,
    role: 'instructor',
    source,
    kind: source === 'mic' ? 'audio' : 'video',
    codec: source === 'mic' ? 'audio/opus' : 'video/VP8',
    startOffsetMs: 0,
    endOffsetMs: SECONDS * 1000,
    pauses: [],
    gaps: [],
    segments: [
      {
        id: `s-${id}`,
        file,
        container: 'webm',
        startOffsetMs: 0,
        endOffsetMs: SECONDS * 1000,
        endReason: 'stopped',
        bytes: fs.statSync(path.join(folder, file)).size,
        repaired: false,
      },
    ],
  };
}

describe('the exported camera follows the active speaker', () => {
  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-export-speaker-'));
    const make = (input: string, codec: string[], file: string) =>
      run(['-f', 'lavfi', '-i', input, ...codec, '-y', path.join(folder, file)]);
    const vp8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k'];
    await Promise.all([
      make(tone(0, HALF), ['-c:a', 'libopus'], 'ana-mic.webm'),
      make(tone(HALF, SECONDS), ['-c:a', 'libopus'], 'ben-mic.webm'),
      make(solid('red', '320x240'), vp8, 'ana-camera.webm'),
      make(solid('blue', '320x240'), vp8, 'ben-camera.webm'),
      make(solid('green', '640x360'), vp8, 'ana-screen.webm'),
    ]);
    manifest = {
      version: 1,
      id: 'rec_speaker',
      sessionId: 'sess',
      classId: 'cls',
      folder: path.basename(folder),
      state: 'stopped',
      startedAt: 1_000_000,
      stoppedAt: 1_000_000 + SECONDS * 1000,
      stopReason: 'stopped by ana',
      startedBy: 'ana',
      tracks: [
        track('t1', 'ana', 'mic', 'ana-mic.webm'),
        track('t2', 'ana', 'camera', 'ana-camera.webm'),
        track('t3', 'ana', 'screen', 'ana-screen.webm'),
        track('t4', 'ben', 'mic', 'ben-mic.webm'),
        track('t5', 'ben', 'camera', 'ben-camera.webm'),
      ],
    };
  }, 60_000);
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('finds a turn for each speaker, switching at the middle', async () => {
    const turns = speakerTurns(
      await micLevels(manifest, folder, { ffmpegPath: FFMPEG, nice: 0 }),
      SECONDS * 1000,
    );
    expect(turns).toEqual([
      { userId: 'ana', startMs: 0, endMs: HALF * 1000 },
      { userId: 'ben', startMs: HALF * 1000, endMs: SECONDS * 1000 },
    ]);
  });

  it("shows Ana's camera in the corner while she speaks and Ben's while he does, over the screen", async () => {
    const turns: SpeakerTurn[] = speakerTurns(
      await micLevels(manifest, folder, { ffmpegPath: FFMPEG, nice: 0 }),
      SECONDS * 1000,
    );
    const out = path.join(folder, 'export.mp4');
    await run(exportPlan(manifest, folder, out, turns).args);
    // The small camera sits 16 px from the bottom-right corner and is 320x180.
    const corner = { x: EXPORT_WIDTH - 16 - 160, y: EXPORT_HEIGHT - 16 - 90 };
    const screen = { x: 200, y: 200 };
    for (const [atSec, camera] of [
      [2, 'red'],
      [4.5, 'red'],
      [7.5, 'blue'],
      [10, 'blue'],
    ] as const) {
      expect(colourOf(await pixel(out, atSec, corner)), `corner at ${atSec} s`).toBe(camera);
      expect(colourOf(await pixel(out, atSec, screen)), `screen at ${atSec} s`).toBe('green');
    }
  }, 120_000);
});

/** The dominant primary of an RGB pixel (the test's colours are pure red, green and blue). */
function colourOf([r, g, b]: number[]): string {
  const [red = 0, green = 0, blue = 0] = [r, g, b];
  if (red > 150 && green < 80 && blue < 80) return 'red';
  if (blue > 150 && red < 80 && green < 80) return 'blue';
  if (green > 80 && red < 60 && blue < 60) return 'green';
  return `rgb(${red},${green},${blue})`;
}

async function pixel(file: string, atSec: number, at: { x: number; y: number }): Promise<number[]> {
  const out = await run(
    [
      '-ss',
      String(atSec),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      `crop=2:2:${at.x}:${at.y}`,
      '-pix_fmt',
      'rgb24',
      '-f',
      'rawvideo',
      '-',
    ],
    true,
  );
  return [...out.subarray(0, 3)];
}

function run(args: string[], binary = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(FFMPEG, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) =>
      code === 0
        ? resolve(binary ? Buffer.concat(chunks) : Buffer.alloc(0))
        : reject(new Error(`ffmpeg: ${err.slice(-800)}`)),
    );
  });
}
