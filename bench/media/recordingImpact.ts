// Scenario `--record N` of the media benchmark: does recording hurt the live class? The server runs as its own
// process; N/2 people publish a real camera (VP8) and microphone (Opus) from ffmpeg's test sources (encoded once
// and looped without re-encoding, so twenty publishers do not load the machine as twenty encoders would); viewers
// consume every track and count packets by RTP sequence number. Windows without and with recording alternate
// (without, with, without, with...); recording is started and stopped through the REST API, so the server's own
// RecordingService runs real ffmpeg recorders. Each window reports viewer loss, worker CPU and recorder CPU per
// track; at the end every recording's files are checked with ffprobe against the window they covered.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MediaStreamTrack } from 'werift';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { encodeClip, type FfmpegSource, startFfmpegSource } from '../../test/helpers/ffmpegRtp.ts';
import { startServerProcess } from '../../test/helpers/serverProcess.ts';
import { waitFor } from '../../test/helpers/waitFor.ts';
import { WeriftMediaPeer } from '../../test/helpers/weriftPeer.ts';
import { openSession } from './classRecording.ts';
import { LossTracker } from './lossTracker.ts';
import { CpuMeter, childrenNamed, cpuSeconds, machineBusySeconds } from './procCpu.ts';
import { enlargeHarnessReceiveBuffers } from './receiveBuffers.ts';
import { checkRecordedFiles, type RecordedFilesCheck } from './recordedFiles.ts';
import { RecorderCpu } from './recorderCpu.ts';
import { socketInodes, UdpDrops, udpInodesOfPorts } from './udpDrops.ts';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const CLASS_ID = 'benchrec';
/** Joining, starting and stopping recorders, and checking files, on top of the windows. */
const CLIP_MARGIN_SECONDS = 60;

export interface RecordingWindow {
  index: number;
  recording: boolean;
  /** Recorder processes running during the window (the most seen at once). */
  recorders: number;
  /** Packets the viewers expected (from sequence numbers) and received, per kind. */
  packets: { video: { expected: number; received: number }; audio: { expected: number; received: number } };
  lossPercent: { video: number; audio: number };
  /** Average cores (1 = one core busy). `sources`: the publishers' ffmpeg encoders; `others`: everything else. */
  cores: {
    worker: number;
    serverNode: number;
    recorders: number;
    harness: number;
    sources: number;
    others: number;
  };
  /** Datagrams the kernel dropped at full receive buffers, by where: the sources' sockets in the harness (before
   *  the publishers, so before the SFU), the SFU worker's, the viewers' (in the harness), the recorders'. */
  udpDrops: { sources: number; worker: number; viewers: number; recorders: number };
  /** Recorder CPU per recorded track, in % of one core. */
  recorderPercentPerTrack: number | null;
  loadAverage1m: number;
  startedAt: number;
  endedAt: number;
}

export interface RecordingImpactResult {
  harnessReceiveBufferBytes: number;
  tracks: number;
  people: number;
  viewers: number;
  windows: RecordingWindow[];
  files: RecordedFilesCheck[];
}

export async function measureRecordingImpact(opts: {
  tracks: number;
  viewers: number;
  rounds: number;
  windowMs: number;
  warmupMs: number;
  /** Receive buffer of the harness's UDP sockets (0: the system's default). */
  harnessReceiveBufferBytes: number;
  log: (line: string) => void;
}): Promise<RecordingImpactResult> {
  const enlarged =
    opts.harnessReceiveBufferBytes > 0
      ? enlargeHarnessReceiveBuffers(opts.harnessReceiveBufferBytes)
      : undefined;
  const recordingsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-rec-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-media-'));
  const server = await startServerProcess({
    MEDIA_ENABLED: 'true',
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    AUTH_SECRET: SECRET,
    DATA_DIR: dataDir,
    RECORDINGS_DIR: recordingsDir,
    LOG_LEVEL: 'warn',
    ...(process.env.MEDIASOUP_WORKER_BIN ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN } : {}),
    ...(process.env.FFMPEG_PATH ? { FFMPEG_PATH: process.env.FFMPEG_PATH } : {}),
  });
  const serverPid = server.child.pid!;
  const feeds: FfmpegSource[] = [];
  // Interrupted (Ctrl-C, timeout): stop the server and the sources, which would otherwise outlive us.
  const interrupted = () => {
    for (const feed of feeds) feed.stop();
    server.child.kill('SIGTERM');
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  const handle = {
    wsUrl: server.url.replace(/^http/, 'ws'),
    token: (o: { sub: string; role: 'instructor' | 'student' | 'assistant' | 'observer' }) =>
      mintToken(SECRET, { sub: o.sub, name: o.sub, role: o.role, cls: CLASS_ID }),
  };
  const peers: WeriftMediaPeer[] = [];
  const people = Math.ceil(opts.tracks / 2);
  try {
    const workerPid = await waitFor(() => childrenNamed(serverPid, 'mediasoup-worker')[0], {
      timeoutMs: 10_000,
    });
    const api = await openSession(
      server.url,
      CLASS_ID,
      await handle.token({ sub: 'staff', role: 'instructor' }),
    );

    const clips = { audio: path.join(dataDir, 'mic.webm'), video: path.join(dataDir, 'camera.webm') };
    // Longer than the whole run, so the loop (whose timestamps jump) never plays during a recording.
    const clipSeconds =
      Math.ceil((opts.rounds * 2 * (opts.windowMs + 3 * opts.warmupMs)) / 1000) + CLIP_MARGIN_SECONDS;
    await encodeClip('audio', clips.audio, clipSeconds);
    await encodeClip('video', clips.video, clipSeconds);
    opts.log(`encoded ${clipSeconds} s clips of the camera and microphone`);
    const producerIds: string[] = [];
    for (let i = 0; i < people; i++) {
      const sub = `person-${i}`;
      const peer = await WeriftMediaPeer.join(handle, { sub, role: 'instructor', cls: CLASS_ID });
      peers.push(peer);
      const sources =
        producerIds.length + 2 <= opts.tracks ? (['mic', 'camera'] as const) : (['mic'] as const);
      for (const source of sources) {
        const kind = source === 'mic' ? 'audio' : 'video';
        const feed = await startFfmpegSource(kind, clips[kind]);
        feeds.push(feed);
        producerIds.push((await peer.publishTrack(source, feed.track)).id);
      }
    }
    opts.log(`${people} people publish ${producerIds.length} tracks from ffmpeg's test sources`);

    const trackers: { kind: 'audio' | 'video'; tracker: LossTracker }[] = [];
    for (let v = 0; v < opts.viewers; v++) {
      const sub = `viewer-${v}`;
      const peer = await WeriftMediaPeer.join(handle, { sub, role: 'student', cls: CLASS_ID });
      peers.push(peer);
      for (const producerId of producerIds) {
        const tracker = new LossTracker();
        const received = await peer.consume(producerId);
        const kind = received.consumer.kind;
        (received.consumer.track as unknown as MediaStreamTrack).onReceiveRtp.subscribe((packet) =>
          tracker.add(packet.header.sequenceNumber),
        );
        trackers.push({ kind, tracker });
      }
    }
    await waitFor(() => trackers.every((t) => t.tracker.received > 0), {
      timeoutMs: 30_000,
      message: 'every viewer receives every track',
    });
    opts.log(`${opts.viewers} viewer(s) consume every track (${trackers.length} consumers)`);
    if (enlarged) opts.log(`harness UDP receive buffers enlarged: ${JSON.stringify(enlarged())}`);
    await sleep(opts.warmupMs);

    const meter = new CpuMeter({
      worker: () => cpuSeconds(workerPid),
      serverNode: () => cpuSeconds(serverPid),
      harness: () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1e6;
      },
      // The publishers' encoders (ffmpeg children of this process; they run for the whole benchmark).
      sources: () => childrenNamed(process.pid, 'ffmpeg').reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      machine: machineBusySeconds,
    });
    const recorderCpu = new RecorderCpu(serverPid);
    const sourceSockets = () => udpInodesOfPorts(feeds.map((f) => f.port));
    const drops = new UdpDrops({
      worker: () => socketInodes(workerPid),
      // The harness's other sockets: the viewers' (and the publishers', which receive little but RTCP).
      viewers: () => {
        const sources = new Set(sourceSockets());
        return socketInodes(process.pid).filter((inode) => !sources.has(inode));
      },
      sources: sourceSockets,
      recorders: () => recorderCpu.pids().flatMap(socketInodes),
    });
    const windows: RecordingWindow[] = [];
    const measure = async (recording: boolean): Promise<RecordingWindow> => {
      for (const t of trackers) t.tracker.markWindow();
      const startedAt = Date.now();
      meter.start();
      recorderCpu.start();
      drops.start();
      await sleep(opts.windowMs);
      const dropped = drops.stop();
      const recordersCores = recorderCpu.stop();
      const cores = meter.stop();
      const endedAt = Date.now();
      const sum = (kind: 'audio' | 'video') =>
        trackers
          .filter((t) => t.kind === kind)
          .reduce(
            (acc, t) => {
              const w = t.tracker.window();
              return { expected: acc.expected + w.expected, received: acc.received + w.received };
            },
            { expected: 0, received: 0 },
          );
      const video = sum('video');
      const audio = sum('audio');
      const worker = cores.worker ?? 0;
      const serverNode = cores.serverNode ?? 0;
      const harness = cores.harness ?? 0;
      const sources = cores.sources ?? 0;
      return {
        index: windows.length + 1,
        recording,
        recorders: recorderCpu.peakProcesses,
        packets: { video, audio },
        lossPercent: { video: loss(video), audio: loss(audio) },
        cores: {
          worker,
          serverNode,
          recorders: recordersCores,
          harness,
          sources,
          others: Math.max(
            0,
            (cores.machine ?? 0) - worker - serverNode - recordersCores - harness - sources,
          ),
        },
        udpDrops: {
          sources: dropped.sources ?? 0,
          worker: dropped.worker ?? 0,
          viewers: dropped.viewers ?? 0,
          recorders: dropped.recorders ?? 0,
        },
        recorderPercentPerTrack: recording ? (100 * recordersCores) / producerIds.length : null,
        loadAverage1m: os.loadavg()[0] ?? 0,
        startedAt,
        endedAt,
      };
    };
    const report = (w: RecordingWindow) => {
      windows.push(w);
      opts.log(
        `window ${w.index} ${w.recording ? `recording (${w.recorders} recorders)` : 'not recording'}: ` +
          `loss video ${w.lossPercent.video.toFixed(2)}% audio ${w.lossPercent.audio.toFixed(2)}%, ` +
          `worker ${pct(w.cores.worker)}, recorders ${pct(w.cores.recorders)}, load ${w.loadAverage1m.toFixed(2)}, ` +
          `UDP drops ${JSON.stringify(w.udpDrops)}`,
      );
    };

    const recorded: { manifestId: string; window: RecordingWindow }[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      report(await measure(false));
      const started = await api.start();
      await waitFor(() => recorderCpu.pids().length >= producerIds.length, {
        timeoutMs: 30_000,
        intervalMs: 100,
        message: `a recorder for each of the ${producerIds.length} tracks`,
      });
      await sleep(opts.warmupMs);
      const w = await measure(true);
      report(w);
      recorded.push({ manifestId: started.id, window: w });
      await api.stop();
      await waitFor(() => recorderCpu.pids().length === 0, {
        timeoutMs: 30_000,
        intervalMs: 100,
        message: 'every recorder finished its file',
      });
      await sleep(opts.warmupMs);
    }

    const manifests = await api.list();
    const files: RecordedFilesCheck[] = [];
    for (const { manifestId, window } of recorded) {
      const manifest = manifests.find((m) => m.id === manifestId);
      if (!manifest) throw new Error(`recording ${manifestId} is not listed`);
      const check = await checkRecordedFiles(recordingsDir, manifest, window);
      opts.log(
        `recording ${manifestId} (window ${window.index}): ${check.files} files, ` +
          `${check.durationSec.min.toFixed(1)}-${check.durationSec.max.toFixed(1)} s, ` +
          `${check.tracksSpanningWindow}/${check.tracks} tracks span the window, ${check.ok ? 'ok' : 'NOT OK'}; ` +
          `largest deviation ${JSON.stringify(check.worst)}`,
      );
      files.push(check);
    }
    return {
      harnessReceiveBufferBytes: opts.harnessReceiveBufferBytes,
      tracks: producerIds.length,
      people,
      viewers: opts.viewers,
      windows,
      files,
    };
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    for (const peer of peers) peer.close();
    for (const feed of feeds) feed.stop();
    server.child.kill('SIGTERM');
    await server.exited;
    fs.rmSync(recordingsDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function loss(w: { expected: number; received: number }): number {
  return w.expected === 0 ? 0 : (100 * (w.expected - w.received)) / w.expected;
}

const pct = (cores: number) => `${(cores * 100).toFixed(1)}%`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
