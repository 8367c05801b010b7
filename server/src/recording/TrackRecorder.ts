// Records one producer (a person's microphone, camera, screen or screen audio) as a manifest track: while the
// producer is live, a consumer on a PlainTransport sends its RTP to an ffmpeg process writing one segment file.
// A pause ends the segment (the pause is listed) and a resume starts a new one; a recorder that dies is
// restarted as a new segment with the gap listed; a file that cannot be written stops the whole recording.
// Steps of one track run one at a time (a queue), so pause, resume, close and stop never interleave.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RecordingSegment, RecordingTrack, SegmentEndReason } from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.ts';
import { type FfmpegExit, FfmpegProcess } from './FfmpegProcess.ts';
import { capabilitiesFor, containerFor, recordArgs, recordingSdp } from './ffmpegCommand.ts';
import type { ManifestWriter } from './ManifestWriter.ts';
import { durationSeconds, ffprobeBeside } from './recover.ts';
import { repairFile } from './repair.ts';
import { allocatePortPair, type PortPair } from './udpPorts.ts';

export interface RecorderSettings {
  ffmpegPath: string;
  /** CPU priority of recorder processes (nice); the live class comes first. */
  nice: number;
  /** How long ffmpeg may take to bind its port. */
  readyTimeoutMs: number;
}

export interface TrackRecorderDeps {
  router: ms.Router;
  producer: ms.Producer;
  track: RecordingTrack;
  writer: ManifestWriter;
  settings: RecorderSettings;
  /** The output cannot be written (disk full, folder gone): the whole recording must stop. */
  onWriteFailure(reason: string): void;
  log: Logger;
}

interface ActiveSegment {
  segment: RecordingSegment;
  transport: ms.PlainTransport;
  consumer: ms.Consumer;
  ffmpeg: FfmpegProcess;
  ports: PortPair;
  sdpPath: string;
  keyFrameTimer: NodeJS.Timeout | undefined;
}

const LOCAL_IP = '127.0.0.1';
/** A recorder that keeps dying is given up after this many restarts within RESTART_WINDOW_MS. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** A second key frame request, in case the first was answered before ffmpeg had read the stream's start. */
const SECOND_KEYFRAME_MS = 1000;

export class TrackRecorder {
  #active: ActiveSegment | undefined;
  #queue: Promise<void> = Promise.resolve();
  #ended = false;
  #restarts: number[] = [];
  readonly #listeners: [string, () => void][] = [];

  constructor(private readonly deps: TrackRecorderDeps) {}

  get track(): RecordingTrack {
    return this.deps.track;
  }

  /** The running recorder process (tests kill it to check restarts). */
  get process(): FfmpegProcess | undefined {
    return this.#active?.ffmpeg;
  }

  /** Starts recording (or opens a pause when the producer is paused) and follows the producer. */
  start(): void {
    const { producer, track, writer } = this.deps;
    const on = (event: 'pause' | 'resume' | 'close', fn: () => void) => {
      producer.observer.on(event, fn);
      this.#listeners.push([event, fn]);
    };
    on('pause', () => this.#enqueue(() => this.#onPause()));
    on('resume', () => this.#enqueue(() => this.#onResume()));
    on('close', () => void this.end('closed'));
    if (producer.closed) return void this.end('closed');
    if (producer.paused) {
      track.pauses.push({ startOffsetMs: writer.offset(), endOffsetMs: null });
      writer.changed();
    } else {
      this.#enqueue(() => this.#startSegment());
    }
  }

  /** Ends the track for good (producer closed, recording stopped); resolves when its file is final. */
  end(reason: SegmentEndReason): Promise<void> {
    if (this.#ended) return this.#queue;
    this.#ended = true;
    for (const [event, fn] of this.#listeners) this.deps.producer.observer.off(event as 'close', fn);
    return this.#enqueue(async () => {
      // The track ends when its segment stopped, not once the file is finished and measured.
      const at = await this.#endSegment(reason);
      const { track, writer } = this.deps;
      track.endOffsetMs = at;
      for (const p of track.pauses) p.endOffsetMs ??= at;
      for (const g of track.gaps) g.endOffsetMs ??= at;
      writer.changed();
    });
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(step).catch((error: unknown) => {
      this.deps.log.error({ err: error, trackId: this.track.id }, 'recording track step failed');
    });
    return this.#queue;
  }

  async #onPause(): Promise<void> {
    if (this.#ended) return;
    const at = await this.#endSegment('paused');
    this.track.pauses.push({ startOffsetMs: at, endOffsetMs: null });
    this.deps.writer.changed();
  }

  async #onResume(): Promise<void> {
    if (this.#ended) return;
    const open = this.track.pauses.at(-1);
    if (open && open.endOffsetMs === null) open.endOffsetMs = this.deps.writer.offset();
    await this.#startSegment();
  }

  async #startSegment(): Promise<void> {
    if (this.#ended || this.#active || this.deps.producer.closed || this.deps.producer.paused) return;
    const { router, producer, track, writer, settings, log } = this.deps;
    const id = crypto.randomBytes(4).toString('hex');
    const container = containerFor(track.codec) ?? 'mkv';
    const base = `${String(track.segments.length + 1).padStart(3, '0')}-${fileSafe(track.name)}-${track.source}-${id}`;
    const file = `${base}.${container}`;
    const sdpPath = path.join(writer.folder, `${base}.sdp`);
    const ports = await allocatePortPair(LOCAL_IP);
    let transport: ms.PlainTransport | undefined;
    try {
      transport = await router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: LOCAL_IP },
        rtcpMux: true,
        comedia: false,
        appData: { recording: writer.manifest.id },
      });
      await transport.connect({ ip: LOCAL_IP, port: ports.rtpPort });
      const consumer = await transport.consume({
        producerId: producer.id,
        rtpCapabilities: capabilitiesFor(router.rtpCapabilities, producer),
        paused: true,
      });
      const codec = consumer.rtpParameters.codecs[0];
      if (!codec) throw new Error('the recording consumer has no codec');
      try {
        await fs.writeFile(
          sdpPath,
          recordingSdp({ kind: producer.kind, codec, ip: LOCAL_IP, rtpPort: ports.rtpPort }),
        );
      } catch (error) {
        transport.close();
        ports.release();
        return this.#writeFailed(
          `the recording folder ${writer.folder} cannot be written: ${(error as Error).message}`,
        );
      }
      const ffmpeg = new FfmpegProcess(
        settings.ffmpegPath,
        recordArgs(sdpPath, path.join(writer.folder, file), container),
        {
          nice: settings.nice,
        },
      );
      const segment: RecordingSegment = {
        id,
        file,
        container,
        startOffsetMs: writer.offset(),
        endOffsetMs: null,
        endReason: null,
        bytes: null,
        repaired: false,
      };
      const active: ActiveSegment = {
        segment,
        transport,
        consumer,
        ffmpeg,
        ports,
        sdpPath,
        keyFrameTimer: undefined,
      };
      this.#active = active;
      void ffmpeg.exited.then((exit) => {
        if (!exit.requested) this.#enqueue(() => this.#onRecorderExit(active, exit));
      });
      if (!(await ffmpeg.waitForPort(ports.rtpPort, settings.readyTimeoutMs))) {
        // It exited before listening (its exit handler takes over), or it is stuck: treat it as dead.
        if (ffmpeg.running) ffmpeg.kill();
        return;
      }
      // Packets sent before ffmpeg listened would be lost: only now does the consumer send.
      segment.startOffsetMs = writer.offset();
      writer.addSegment(track, segment);
      this.#closeGap(segment.startOffsetMs);
      await consumer.resume();
      if (producer.kind === 'video') {
        await consumer.requestKeyFrame();
        active.keyFrameTimer = setTimeout(
          () => consumer.requestKeyFrame().catch(() => {}),
          SECOND_KEYFRAME_MS,
        );
      }
      log.debug({ trackId: track.id, file, pid: ffmpeg.pid }, 'recording segment started');
    } catch (error) {
      // The producer or the Router closed meanwhile: nothing to record.
      transport?.close();
      if (!this.#active) ports.release();
      if (!producer.closed) throw error;
    }
  }

  /** Stops the current segment's recorder the way that finalizes its file; resolves to when it stopped. */
  async #endSegment(reason: SegmentEndReason): Promise<number> {
    const endedAt = this.deps.writer.offset();
    const active = this.#active;
    if (!active) return endedAt;
    this.#active = undefined;
    clearTimeout(active.keyFrameTimer);
    // No more packets, then the BYE: the file ends with the last packet ffmpeg got.
    active.transport.close();
    const exit = await active.ffmpeg.stop({ ip: LOCAL_IP, port: active.ports.rtpPort });
    await this.#finish(active, reason, exit, endedAt);
    return endedAt;
  }

  async #onRecorderExit(active: ActiveSegment, exit: FfmpegExit): Promise<void> {
    if (this.#active !== active) return;
    this.#active = undefined;
    clearTimeout(active.keyFrameTimer);
    active.transport.close();
    const { track, writer, log } = this.deps;
    const diedAt = writer.offset();
    const writeFailure = FfmpegProcess.isWriteFailure(exit);
    await this.#finish(active, writeFailure ? 'write-failed' : 'recorder-died', exit, diedAt);
    const reason = writeFailure ? lastLine(exit.stderr) : `the recorder exited (${exit.signal ?? exit.code})`;
    track.gaps.push({ startOffsetMs: diedAt, endOffsetMs: null, reason });
    writer.changed();
    log.warn(
      { trackId: track.id, exit: exit.signal ?? exit.code, stderr: lastLine(exit.stderr) },
      'recorder died',
    );
    if (writeFailure) return this.#writeFailed(reason);
    const now = Date.now();
    this.#restarts = this.#restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.#restarts.length >= MAX_RESTARTS) {
      log.error({ trackId: track.id }, 'recorder keeps dying: this track is no longer recorded');
      return;
    }
    this.#restarts.push(now);
    await this.#startSegment();
  }

  /** Closes the segment in the manifest: its end, its size, and a repair when its recorder did not finish it. */
  async #finish(
    active: ActiveSegment,
    reason: SegmentEndReason,
    exit: FfmpegExit,
    endOffsetMs: number,
  ): Promise<void> {
    const { track, writer, settings, log } = this.deps;
    active.ports.release();
    const { segment } = active;
    segment.endOffsetMs = endOffsetMs;
    segment.endReason = reason;
    const filePath = path.join(writer.folder, segment.file);
    const finalized = exit.requested && exit.signal !== 'SIGKILL';
    await fs.rm(active.sdpPath, { force: true });
    if (!finalized)
      segment.repaired = await repairFile(settings.ffmpegPath, filePath, segment.container, log);
    segment.bytes = await fs.stat(filePath).then(
      (s) => s.size,
      () => null,
    );
    if (!segment.bytes) {
      // Nothing arrived before it ended (a pause right after the start): no file to list.
      track.segments = track.segments.filter((s) => s !== segment);
      await fs.rm(filePath, { force: true });
    } else {
      const seconds = await durationSeconds(ffprobeBeside(settings.ffmpegPath), filePath);
      const listenedAt = segment.startOffsetMs;
      segment.startOffsetMs = alignedStart(listenedAt, endOffsetMs, seconds);
      // A gap this segment closed lasts until its media starts.
      for (const gap of track.gaps)
        if (gap.endOffsetMs === listenedAt) gap.endOffsetMs = segment.startOffsetMs;
    }
    writer.changed();
  }

  #closeGap(at: number): void {
    const gap = this.track.gaps.at(-1);
    if (gap && gap.endOffsetMs === null) gap.endOffsetMs = at;
  }

  #writeFailed(reason: string): void {
    this.deps.onWriteFailure(reason);
  }
}

/** How much shorter than its window a file may be before its start is moved (a frame or two, container rounding). */
const START_SLACK_MS = 250;

/**
 * Where a segment's media starts on the recording's clock. Its file ends with the last packet before the
 * segment ended, but may begin later than the recorder began listening (a loaded machine, a video track
 * waiting for its key frame): the start then moves to the end less the file's length, so a replay plays it
 * in step with the class. A file that cannot be measured (0) keeps the listening time.
 */
export function alignedStart(startOffsetMs: number, endOffsetMs: number, fileSeconds: number): number {
  const fileMs = Math.round(fileSeconds * 1000);
  if (fileMs <= 0 || endOffsetMs - startOffsetMs - fileMs <= START_SLACK_MS) return startOffsetMs;
  return endOffsetMs - fileMs;
}

function fileSafe(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\w-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40) || 'person'
  );
}

function lastLine(text: string): string {
  return text.split('\n').filter(Boolean).at(-1) ?? 'unknown error';
}
