// How fast a recording exports to MP4 on this machine (docs/benchmarks.md, "Recording export"): makes a
// recording's files the way the recorder writes them (VP8/Opus WebM from ffmpeg's test sources: a 1280x720
// screen share at 15 fps, a 640x360 camera at 30 fps, a microphone), then does what an export does at its
// priority: reads who speaks when from the microphone (speechLevels.ts) and runs the export's own ffmpeg command
// (exportPlan.ts); reports seconds of recording exported per second (x real time), and the analysis's share. `npm run bench:export -- [seconds]` (default 60).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordingManifest, RecordingTrack } from '@tandem/shared';
import { exportDurationMs, exportPlan } from '../../server/src/recording/export/exportPlan.ts';
import { speakerTurns } from '../../server/src/recording/export/speakerTurns.ts';
import { micLevels } from '../../server/src/recording/export/speechLevels.ts';

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const seconds = Number(process.argv[2] ?? 60);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-export-'));

function make(file: string, args: string[]): void {
  const r = spawnSync(FFMPEG, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...args,
    '-t',
    String(seconds),
    path.join(dir, file),
  ]);
  if (r.status !== 0) throw new Error(`making ${file} failed: ${r.stderr}`);
}

const vp8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v'];
make('screen.webm', ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=15', ...vp8, '1200k']);
make('camera.webm', ['-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30', ...vp8, '600k']);
make('mic.webm', [
  '-f',
  'lavfi',
  '-i',
  'sine=frequency=440:sample_rate=48000',
  '-c:a',
  'libopus',
  '-b:a',
  '48k',
]);

const track = (source: RecordingTrack['source'], kind: 'audio' | 'video', file: string): RecordingTrack => ({
  id: source,
  producerId: source,
  userId: 'ines',
  name: 'Ines',
  role: 'instructor',
  source,
  kind,
  codec: kind === 'audio' ? 'audio/opus' : 'video/VP8',
  startOffsetMs: 0,
  endOffsetMs: seconds * 1000,
  pauses: [],
  gaps: [],
  segments: [
    {
      id: source,
      file,
      container: 'webm',
      startOffsetMs: 0,
      endOffsetMs: seconds * 1000,
      endReason: 'stopped',
      bytes: fs.statSync(path.join(dir, file)).size,
      repaired: false,
    },
  ],
});
const manifest: RecordingManifest = {
  version: 1,
  id: 'rec_bench',
  sessionId: 's',
  classId: 'c',
  folder: '.',
  state: 'stopped',
  startedAt: 0,
  stoppedAt: seconds * 1000,
  stopReason: null,
  startedBy: 'ines',
  tracks: [
    track('mic', 'audio', 'mic.webm'),
    track('camera', 'video', 'camera.webm'),
    track('screen', 'video', 'screen.webm'),
  ],
};
// As the export job does: the microphones' levels first (who speaks when), then the MP4.
const started = performance.now();
const turns = speakerTurns(
  await micLevels(manifest, dir, { ffmpegPath: FFMPEG, nice: 19 }),
  exportDurationMs(manifest),
);
const analysisSeconds = (performance.now() - started) / 1000;
const plan = exportPlan(manifest, dir, path.join(dir, 'export.mp4'), turns);
const r = spawnSync('nice', ['-n', '19', FFMPEG, ...plan.args], { stdio: ['ignore', 'ignore', 'pipe'] });
const elapsed = (performance.now() - started) / 1000;
if (r.status !== 0) throw new Error(`export failed: ${r.stderr}`);
const size = fs.statSync(path.join(dir, 'export.mp4')).size;
console.log(
  JSON.stringify({
    recordingSeconds: seconds,
    exportSeconds: Math.round(elapsed * 10) / 10,
    ofWhichSpeakerAnalysisSeconds: Math.round(analysisSeconds * 10) / 10,
    speedXRealTime: Math.round((seconds / elapsed) * 10) / 10,
    mp4Bytes: size,
    cpus: os.cpus().length,
  }),
);
fs.rmSync(dir, { recursive: true, force: true });
