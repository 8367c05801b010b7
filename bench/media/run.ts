// `npm run bench:media [-- --full-steps 10,25,50 --ceiling-steps 100,200 --window-seconds 6 --budget-seconds 240]`
// How many viewers of one ~500 kbps VP8 + Opus stream ONE mediasoup worker sustains with < 1% loss, the
// worker CPU per viewer, and the time from joining to the first packet. Loopback only, bounded in time.
// Phase A runs the whole stack with werift peers; phase B pushes the worker past where werift receivers
// (pure JS) would saturate this harness. Prints a Markdown table and writes bench/results/media-*.json.
// `npm run bench:media -- --record 20 [--viewers 4 --rounds 2 --window-seconds 15 --harness-rcvbuf-kib 4096]`
// instead measures the live class with and without 20 tracks recorded (recordingImpact.ts).
// `npm run bench:media -- --spread 30 [--full-steps 20,40,60]` instead runs the class over two workers, 30
// viewers per Router (spread.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as mediasoup from 'mediasoup';
import { measureFullStack } from './fullStack.ts';
import { printRecordingImpact } from './printRecordingImpact.ts';
import { measureRecordingImpact } from './recordingImpact.ts';
import { measureSpread, printSpread } from './spread.ts';
import type { BenchStream, StepResult } from './types.ts';
import { measureWorkerCeiling } from './workerCeiling.ts';

const { values: args } = parseArgs({
  options: {
    'full-steps': { type: 'string', default: '10,25,50,75,100' },
    'ceiling-steps': { type: 'string', default: '100,200,300,400,500,600,700,800' },
    'window-seconds': { type: 'string' },
    'budget-seconds': { type: 'string', default: '240' },
    record: { type: 'string', default: '0' },
    viewers: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '2' },
    'harness-rcvbuf-kib': { type: 'string', default: '4096' },
    spread: { type: 'string', default: '0' },
  },
});
const steps = (s: string) =>
  s
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const RECORD_TRACKS = Number(args.record);
const WINDOW_MS = Number(args['window-seconds'] ?? (RECORD_TRACKS > 0 ? 15 : 6)) * 1000;
const WARMUP_MS = 2000;
const started = performance.now();
const deadline = started + Number(args['budget-seconds']) * 1000;
// ~500 kbps of VP8 (a keyframe every 2 s, and on every keyframe request) and 40 kbps of Opus.
const STREAM: BenchStream = {
  video: { packetsPerSecond: 50, payloadBytes: 1200, keyframeEvery: 100 },
  audio: { packetsPerSecond: 50, payloadBytes: 100 },
};
const log = (line: string) =>
  console.log(`[bench:media ${((performance.now() - started) / 1000).toFixed(0)}s] ${line}`);

if (RECORD_TRACKS > 0) {
  const result = await measureRecordingImpact({
    tracks: RECORD_TRACKS,
    viewers: Number(args.viewers),
    rounds: Number(args.rounds),
    windowMs: WINDOW_MS,
    warmupMs: WARMUP_MS,
    harnessReceiveBufferBytes: Number(args['harness-rcvbuf-kib']) * 1024,
    log,
  });
  printRecordingImpact(result, machine());
  writeResults('media-record', { machine: machine(), windowMs: WINDOW_MS, ...result });
  process.exit(result.files.every((f) => f.ok) ? 0 : 1);
}

const VIEWERS_PER_ROUTER = Number(args.spread);
if (VIEWERS_PER_ROUTER > 0) {
  const run = await measureSpread({
    steps: steps(args['full-steps']),
    viewersPerRouter: VIEWERS_PER_ROUTER,
    windowMs: WINDOW_MS,
    warmupMs: WARMUP_MS,
    deadline,
    stream: STREAM,
    log,
  });
  printSpread(run, VIEWERS_PER_ROUTER, machine());
  writeResults('media-spread', { machine: machine(), stream: STREAM, windowMs: WINDOW_MS, ...run });
  const spread = run.results.some((r) => (r.spread?.routers ?? 0) > 1 && (r.spread?.pipes ?? 0) > 0);
  process.exit(spread && run.results.every((r) => r.lossPercent.all < 1) ? 0 : 1);
}

// Phase B gets the rest of the budget after phase A, which stops when the werift harness saturates.
const full = await measureFullStack({
  steps: steps(args['full-steps']),
  windowMs: WINDOW_MS,
  warmupMs: WARMUP_MS,
  deadline: started + (deadline - started) / 2,
  stream: STREAM,
  log,
});
const ceiling = await measureWorkerCeiling({
  steps: steps(args['ceiling-steps']),
  windowMs: WINDOW_MS,
  warmupMs: WARMUP_MS,
  deadline,
  stream: STREAM,
  log,
});

console.log(`\nmachine: ${JSON.stringify(machine())}`);
console.log(`\n### A. Full stack (werift peers through /media signaling) — stopped: ${full.stopReason}\n`);
console.log(
  '| viewers | loss % video / audio | worker core | server Node core | harness core | other processes core | worker ms CPU/s per viewer | join reply p50 ms | join→first audio p50 / p95 ms | join→first video p50 / p95 ms |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of full.results) {
  const j = r.joinToFirstPacketMs;
  console.log(
    `| ${r.viewers} | ${lossCell(r)} | ${r.cores.worker.toFixed(2)} | ${(r.cores.serverNode ?? 0).toFixed(2)} | ${r.cores.harness.toFixed(2)} | ${r.cores.others.toFixed(2)} | ${perViewer(r)} | ${j ? j.joinReplyP50.toFixed(0) : '-'} | ${j ? `${j.audioP50.toFixed(0)} / ${j.audioP95.toFixed(0)}` : '-'} | ${j ? `${j.videoP50.toFixed(0)} / ${j.videoP95.toFixed(0)}` : '-'} |`,
  );
}
console.log(
  `\n### B. Worker ceiling (SRTP PlainTransport viewers on the class Router) — stopped: ${ceiling.stopReason}\n`,
);
console.log(
  '| viewers | loss % video / audio | of which presenter→worker % | worker core | harness core | other processes core | worker ms CPU/s per viewer |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of ceiling.results) {
  const ingress = r.ingressLossPercent?.toFixed(2) ?? '-';
  console.log(
    `| ${r.viewers} | ${lossCell(r)} | ${ingress} | ${r.cores.worker.toFixed(2)} | ${r.cores.harness.toFixed(2)} | ${r.cores.others.toFixed(2)} | ${perViewer(r)} |`,
  );
}
const sustained = ceiling.results.filter((r) => r.lossPercent.all < 1).at(-1);
console.log(
  `\nlargest step under 1% loss on one worker: ${sustained?.viewers ?? 0} viewers (${(sustained?.viewers ?? 0) * 2} consumers)`,
);

writeResults('media', { machine: machine(), stream: STREAM, windowMs: WINDOW_MS, full, ceiling });

function machine() {
  return {
    cpu: os.cpus()[0]?.model,
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    mediasoup: mediasoup.version,
  };
}

function writeResults(name: string, results: object): void {
  const file = path.join(
    'bench',
    'results',
    `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`raw results: ${file}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function lossCell(r: StepResult): string {
  return `${r.lossPercent.video.toFixed(2)} / ${r.lossPercent.audio.toFixed(2)}`;
}

function perViewer(r: StepResult): string {
  return r.workerMsPerViewerPerSec === null ? '-' : r.workerMsPerViewerPerSec.toFixed(2);
}
