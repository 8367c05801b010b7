// Phase B of the media benchmark: how many viewers one worker forwards to before loss reaches 1%.
// Viewers here are SRTP PlainTransports on the class Router (the worker encrypts every packet per viewer,
// as for WebRTC) read by plain UDP sockets that only count sequence numbers, so the harness stays far
// cheaper than the worker and the worker is what runs out.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { waitFor } from '../../test/helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../test/helpers/weriftPeer.ts';
import { LossTracker } from './lossTracker.ts';
import { CpuMeter, cpuSeconds, machineBusySeconds } from './procCpu.ts';
import type { BenchStream, StepResult } from './types.ts';

const CLASS_ID = 'ceiling';
const BATCH = 25;
const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';

interface Viewer {
  socket: dgram.Socket;
  trackers: Map<number, LossTracker>;
}

export async function measureWorkerCeiling(opts: {
  steps: number[];
  windowMs: number;
  warmupMs: number;
  deadline: number;
  stream: BenchStream;
  log: (line: string) => void;
}): Promise<{ results: StepResult[]; stopReason: string }> {
  const routers: ms.Router[] = [];
  const producers: ms.Producer[] = [];
  let workerPid = 0;
  const onWorker = (worker: ms.Worker) => {
    workerPid = worker.pid;
    worker.observer.on('newrouter', (router) => {
      routers.push(router);
      router.observer.on('newtransport', (t) => t.observer.on('newproducer', (p) => producers.push(p)));
    });
  };
  mediasoup.observer.on('newworker', onWorker);
  const server = await startMediaServer();
  const viewers: Viewer[] = [];
  const results: StepResult[] = [];
  let stopReason = 'all steps done';
  try {
    const presenter = await WeriftMediaPeer.join(server, {
      sub: 'presenter',
      role: 'instructor',
      cls: CLASS_ID,
    });
    const video = await presenter.publish('camera', opts.stream.video);
    const audio = await presenter.publish('mic', opts.stream.audio);
    const router = await waitFor(() => routers.find((r) => r.appData.classId === CLASS_ID));
    const meter = new CpuMeter({
      worker: () => cpuSeconds(workerPid),
      harness: () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1e6;
      },
      machine: machineBusySeconds,
    });
    await sleep(opts.warmupMs);
    const baseline = await window(0, 0);
    for (const target of opts.steps) {
      if (performance.now() > opts.deadline) {
        stopReason = 'time budget reached';
        break;
      }
      while (viewers.length < target) {
        const batch = Math.min(BATCH, target - viewers.length);
        viewers.push(
          ...(await Promise.all(
            Array.from({ length: batch }, () => addViewer(router, [video.producerId, audio.producerId])),
          )),
        );
      }
      await sleep(opts.warmupMs);
      const result = await window(target, baseline.cores.worker);
      results.push(result);
      opts.log(
        `worker ceiling, ${target} viewers: loss ${result.lossPercent.all.toFixed(2)}%, worker ${(100 * result.cores.worker).toFixed(0)}%, harness ${(100 * result.cores.harness).toFixed(0)}%, other processes ${(100 * result.cores.others).toFixed(0)}%`,
      );
      if (result.lossPercent.all >= 1) {
        stopReason = `loss reached ${result.lossPercent.all.toFixed(2)}% at ${target} viewers`;
        break;
      }
    }
    presenter.close();

    async function window(count: number, baselineWorker: number): Promise<StepResult> {
      for (const v of viewers) for (const t of v.trackers.values()) t.markWindow();
      const ingressBefore = await ingress(producers);
      meter.start();
      await sleep(opts.windowMs);
      const cores = meter.stop();
      const ingressAfter = await ingress(producers);
      const ingressReceived = ingressAfter.received - ingressBefore.received;
      const ingressLost = ingressAfter.lost - ingressBefore.lost;
      let expected = 0;
      let received = 0;
      const byKind = { video: { expected: 0, received: 0 }, audio: { expected: 0, received: 0 } };
      for (const v of viewers) {
        for (const [ssrc, t] of v.trackers) {
          const w = t.window();
          const kind = ssrcKinds.get(ssrc)!;
          byKind[kind].expected += w.expected;
          byKind[kind].received += w.received;
          expected += w.expected;
          received += w.received;
        }
      }
      const loss = (w: { expected: number; received: number }) =>
        w.expected === 0 ? 0 : Math.max(0, (100 * (w.expected - w.received)) / w.expected);
      return {
        viewers: count,
        lossPercent: {
          video: loss(byKind.video),
          audio: loss(byKind.audio),
          all: loss({ expected, received }),
        },
        cores: {
          worker: cores.worker ?? 0,
          harness: cores.harness ?? 0,
          others: Math.max(0, (cores.machine ?? 0) - (cores.worker ?? 0) - (cores.harness ?? 0)),
        },
        workerMsPerViewerPerSec: count ? (((cores.worker ?? 0) - baselineWorker) * 1000) / count : null,
        ingressLossPercent: loss({ expected: ingressReceived + ingressLost, received: ingressReceived }),
        joinToFirstPacketMs: null,
      };
    }
  } finally {
    for (const v of viewers) v.socket.close();
    await server.stop();
    mediasoup.observer.off('newworker', onWorker);
  }
  return { results, stopReason };
}

const ssrcKinds = new Map<number, 'video' | 'audio'>();

/** What the worker received from the presenter so far, and what it saw missing (RTP sequence gaps). */
async function ingress(producers: ms.Producer[]): Promise<{ received: number; lost: number }> {
  let received = 0;
  let lost = 0;
  for (const producer of producers.filter((p) => !p.closed)) {
    for (const stat of await producer.getStats()) {
      received += stat.packetCount;
      lost += stat.packetsLost;
    }
  }
  return { received, lost };
}

async function addViewer(router: ms.Router, producerIds: string[]): Promise<Viewer> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const viewer: Viewer = { socket, trackers: new Map() };
  socket.on('message', (packet) => {
    // RTCP (payload types 200-204) shares the socket; only RTP is counted.
    const payloadType = (packet[1] ?? 0) & 0x7f;
    if (packet.length < 12 || (payloadType >= 72 && payloadType <= 76)) return;
    const ssrc = packet.readUInt32BE(8);
    // Only the consumers' own streams: mediasoup's bandwidth probation (ssrc 1234) has its own numbering.
    if (!ssrcKinds.has(ssrc)) return;
    const tracker = viewer.trackers.get(ssrc) ?? new LossTracker();
    viewer.trackers.set(ssrc, tracker);
    tracker.add(packet.readUInt16BE(2));
  });
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: SRTP_SUITE,
  });
  await transport.connect({
    ip: '127.0.0.1',
    port: (socket.address() as AddressInfo).port,
    srtpParameters: { cryptoSuite: SRTP_SUITE, keyBase64: randomBytes(30).toString('base64') },
  });
  for (const producerId of producerIds) {
    const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc !== undefined) ssrcKinds.set(ssrc, consumer.kind);
  }
  return viewer;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
