// Phase A of the media benchmark: the whole stack. The server runs as its own process; werift peers join
// through the real signaling, create WebRtcTransports (ICE, DTLS, SRTP) and consume the presenter's video
// and audio. Reports loss at the receivers, CPU of worker / server Node / harness (from /proc), and the
// time from starting to join until the first audio and video packets arrive. With `workers` and
// `viewersPerRouter` it runs the class spread over several workers (pipeToRouter, spread.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MediaStreamTrack } from 'werift';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { startServerProcess } from '../../test/helpers/serverProcess.ts';
import { waitFor } from '../../test/helpers/waitFor.ts';
import { WeriftMediaPeer } from '../../test/helpers/weriftPeer.ts';
import { LossTracker } from './lossTracker.ts';
import { CpuMeter, childrenNamed, cpuSeconds, machineBusySeconds } from './procCpu.ts';
import type { BenchStream, StepResult } from './types.ts';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const CLASS_ID = 'bench';
const JOIN_BATCH = 5;
/** Above this the werift receivers (pure JS SRTP and RTP) are what limits the measurement. */
const HARNESS_SATURATED_CORES = 0.85;

interface Receiver {
  peer: WeriftMediaPeer;
  video: LossTracker;
  audio: LossTracker;
  joinReplyMs: number;
  firstVideoMs?: number;
  firstAudioMs?: number;
}

export async function measureFullStack(opts: {
  steps: number[];
  windowMs: number;
  warmupMs: number;
  deadline: number;
  stream: BenchStream;
  log: (line: string) => void;
  /** mediasoup workers of the server (default 1). */
  workers?: number;
  /** MEDIA_VIEWERS_PER_ROUTER of the server (its default when left out). */
  viewersPerRouter?: number;
}): Promise<{ results: StepResult[]; stopReason: string }> {
  const workerCount = opts.workers ?? 1;
  const server = await startServerProcess({
    MEDIA_ENABLED: 'true',
    MEDIA_WORKERS: String(workerCount),
    ...(opts.viewersPerRouter ? { MEDIA_VIEWERS_PER_ROUTER: String(opts.viewersPerRouter) } : {}),
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    MEDIA_MAX_PEERS: '1000',
    AUTH_SECRET: SECRET,
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-media-')),
    LOG_LEVEL: 'warn',
    ...(process.env.MEDIASOUP_WORKER_BIN ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN } : {}),
  });
  const serverPid = server.child.pid!;
  const receivers: Receiver[] = [];
  const results: StepResult[] = [];
  let stopReason = 'all steps done';
  try {
    const workerPids = await waitFor(
      () => {
        const pids = childrenNamed(serverPid, 'mediasoup-worker');
        return pids.length >= workerCount ? pids.sort((a, b) => a - b) : undefined;
      },
      { timeoutMs: 10_000 },
    );
    const perWorker = Object.fromEntries(workerPids.map((pid, i) => [`worker${i}`, () => cpuSeconds(pid)]));
    const handle = {
      wsUrl: server.url.replace(/^http/, 'ws'),
      token: (o: { sub: string; role: 'instructor' | 'student' | 'assistant' | 'observer'; cls?: string }) =>
        mintToken(SECRET, { sub: o.sub, name: o.sub, role: o.role, cls: o.cls ?? CLASS_ID }),
    };
    const meter = new CpuMeter({
      worker: () => workerPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      ...perWorker,
      serverNode: () => cpuSeconds(serverPid),
      harness: () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1e6;
      },
      machine: machineBusySeconds,
    });
    const presenter = await WeriftMediaPeer.join(handle, {
      sub: 'presenter',
      role: 'instructor',
      cls: CLASS_ID,
    });
    const video = await presenter.publish('camera', opts.stream.video);
    const audio = await presenter.publish('mic', opts.stream.audio);
    await sleep(opts.warmupMs);
    const baseline = await window(0, [], 0);

    for (const target of opts.steps) {
      if (performance.now() > opts.deadline) {
        stopReason = 'time budget reached';
        break;
      }
      const before = receivers.length;
      while (receivers.length < target) {
        const batch = Math.min(JOIN_BATCH, target - receivers.length);
        const joined = await Promise.all(
          Array.from({ length: batch }, (_, i) =>
            addReceiver(receivers.length + i, video.producerId, audio.producerId),
          ),
        );
        receivers.push(...joined);
      }
      await sleep(opts.warmupMs);
      const result = await window(target, receivers.slice(before), baseline.cores.worker);
      if (workerCount > 1) result.spread = await spreadGauges(server.url);
      results.push(result);
      opts.log(
        `full stack, ${target} viewers: loss ${result.lossPercent.all.toFixed(2)}%, worker ${pct(result.cores.worker)}, ` +
          `server Node ${pct(result.cores.serverNode ?? 0)}, harness ${pct(result.cores.harness)}, other processes ${pct(result.cores.others)}`,
      );
      if (result.lossPercent.all >= 1) {
        stopReason = `loss reached ${result.lossPercent.all.toFixed(2)}% at ${target} viewers`;
        break;
      }
      if (result.cores.harness > HARNESS_SATURATED_CORES) {
        stopReason = `the werift receivers saturated the harness's core at ${target} viewers`;
        break;
      }
    }
    presenter.close();

    async function addReceiver(index: number, videoId: string, audioId: string): Promise<Receiver> {
      const t0 = performance.now();
      const peer = await WeriftMediaPeer.join(handle, {
        sub: `viewer-${index}`,
        role: 'student',
        cls: CLASS_ID,
      });
      const receiver: Receiver = {
        peer,
        video: new LossTracker(),
        audio: new LossTracker(),
        joinReplyMs: performance.now() - t0,
      };
      for (const [producerId, tracker, kind] of [
        [videoId, receiver.video, 'video'],
        [audioId, receiver.audio, 'audio'],
      ] as const) {
        const received = await peer.consume(producerId);
        (received.consumer.track as unknown as MediaStreamTrack).onReceiveRtp.subscribe((packet) => {
          if (tracker.received === 0) {
            if (kind === 'video') receiver.firstVideoMs = performance.now() - t0;
            else receiver.firstAudioMs = performance.now() - t0;
          }
          tracker.add(packet.header.sequenceNumber);
        });
      }
      return receiver;
    }

    async function window(count: number, newcomers: Receiver[], baselineWorker: number): Promise<StepResult> {
      for (const r of receivers) {
        r.video.markWindow();
        r.audio.markWindow();
      }
      meter.start();
      await sleep(opts.windowMs);
      const cores = meter.stop();
      const total = (pick: (r: Receiver) => LossTracker) =>
        receivers.reduce(
          (acc, r) => {
            const w = pick(r).window();
            return { expected: acc.expected + w.expected, received: acc.received + w.received };
          },
          { expected: 0, received: 0 },
        );
      const v = total((r) => r.video);
      const a = total((r) => r.audio);
      const byWorker = new Map<number, { viewers: number; expected: number; received: number }>();
      for (const r of receivers) {
        const port = r.peer.recvPort ?? 0;
        const entry = byWorker.get(port) ?? { viewers: 0, expected: 0, received: 0 };
        for (const w of [r.video.window(), r.audio.window()]) {
          entry.expected += w.expected;
          entry.received += w.received;
        }
        entry.viewers++;
        byWorker.set(port, entry);
      }
      const firstVideo = newcomers.flatMap((r) => (r.firstVideoMs === undefined ? [] : [r.firstVideoMs]));
      const firstAudio = newcomers.flatMap((r) => (r.firstAudioMs === undefined ? [] : [r.firstAudioMs]));
      return {
        viewers: count,
        lossPercent: {
          video: loss(v),
          audio: loss(a),
          all: loss({ expected: v.expected + a.expected, received: v.received + a.received }),
        },
        cores: {
          worker: cores.worker ?? 0,
          ...(workerCount > 1 ? { workers: workerPids.map((_, i) => cores[`worker${i}`] ?? 0) } : {}),
          serverNode: cores.serverNode ?? 0,
          harness: cores.harness ?? 0,
          others: Math.max(
            0,
            (cores.machine ?? 0) - (cores.worker ?? 0) - (cores.serverNode ?? 0) - (cores.harness ?? 0),
          ),
        },
        ...(workerCount > 1
          ? {
              byWorker: [...byWorker].map(([port, w]) => ({
                port,
                viewers: w.viewers,
                lossPercent: loss(w),
              })),
            }
          : {}),
        workerMsPerViewerPerSec: count ? (((cores.worker ?? 0) - baselineWorker) * 1000) / count : null,
        joinToFirstPacketMs: newcomers.length
          ? {
              joinReplyP50: quantile(
                newcomers.map((r) => r.joinReplyMs),
                0.5,
              ),
              audioP50: quantile(firstAudio, 0.5),
              audioP95: quantile(firstAudio, 0.95),
              videoP50: quantile(firstVideo, 0.5),
              videoP95: quantile(firstVideo, 0.95),
            }
          : null,
      };
    }
  } finally {
    for (const r of receivers) r.peer.close();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  return { results, stopReason };
}

async function spreadGauges(url: string): Promise<{ routers: number; pipes: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { routers: gauge('tandem_media_routers'), pipes: gauge('tandem_media_pipes') };
}

function loss(w: { expected: number; received: number }): number {
  return w.expected === 0 ? 0 : Math.max(0, (100 * (w.expected - w.received)) / w.expected);
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const pct = (cores: number) => `${(cores * 100).toFixed(0)}%`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
