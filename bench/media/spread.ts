// `npm run bench:media -- --spread 30 [--full-steps 20,40,60]`: the full stack with two mediasoup workers
// and MEDIA_VIEWERS_PER_ROUTER=30, so the class fills one worker's Router and spreads its later viewers to the
// other worker (pipeToRouter). A functional check (loss at every viewer, Routers and pipes from /metrics) and
// the cost on each worker; not a capacity measurement: the werift viewers saturate this harness long before
// the workers (docs/benchmarks.md, "Media: a class over several workers").
import { measureFullStack } from './fullStack.ts';
import type { BenchStream, StepResult } from './types.ts';

export async function measureSpread(opts: {
  steps: number[];
  viewersPerRouter: number;
  windowMs: number;
  warmupMs: number;
  deadline: number;
  stream: BenchStream;
  log: (line: string) => void;
}): Promise<{ results: StepResult[]; stopReason: string }> {
  return measureFullStack({ ...opts, workers: 2 });
}

export function printSpread(
  run: { results: StepResult[]; stopReason: string },
  viewersPerRouter: number,
  machine: object,
): void {
  console.log(`\nmachine: ${JSON.stringify(machine)}`);
  console.log(
    `\n### Spread: 2 workers, MEDIA_VIEWERS_PER_ROUTER=${viewersPerRouter}, werift peers through /media — stopped: ${run.stopReason}\n`,
  );
  console.log(
    '| viewers | Routers / pipes | loss % video / audio | viewers (loss %) by worker port | worker cores (each) | server Node core | harness core | other processes core | worker ms CPU/s per viewer | join→first video p50 / p95 ms |',
  );
  console.log('|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const r of run.results) {
    const j = r.joinToFirstPacketMs;
    const each = (r.cores.workers ?? [r.cores.worker]).map((c) => c.toFixed(2)).join(' + ');
    const byWorker = (r.byWorker ?? [])
      .map((w) => `${w.viewers} (${w.lossPercent.toFixed(2)}) @${w.port}`)
      .join(', ');
    const perViewer = r.workerMsPerViewerPerSec === null ? '-' : r.workerMsPerViewerPerSec.toFixed(2);
    console.log(
      `| ${r.viewers} | ${r.spread?.routers ?? '-'} / ${r.spread?.pipes ?? '-'} | ${r.lossPercent.video.toFixed(2)} / ${r.lossPercent.audio.toFixed(2)} | ${byWorker} | ${each} | ${(r.cores.serverNode ?? 0).toFixed(2)} | ${r.cores.harness.toFixed(2)} | ${r.cores.others.toFixed(2)} | ${perViewer} | ${j ? `${j.videoP50.toFixed(0)} / ${j.videoP95.toFixed(0)}` : '-'} |`,
    );
  }
}
