// Shapes shared by the two phases of the media benchmark.
import type { PumpOptions } from '../../test/helpers/weriftRtp.ts';

export interface BenchStream {
  video: Partial<PumpOptions>;
  audio: Partial<PumpOptions>;
}

/** One measured step: `viewers` peers each consume the presenter's video and audio. */
export interface StepResult {
  viewers: number;
  lossPercent: { video: number; audio: number; all: number };
  /** Average cores used during the window (1 = one core busy). */
  /** `others`: every other process on the machine (this machine is shared; contention shows here). */
  /** `worker` sums every worker; `workers` has each one (pid order) when the server ran more than one. */
  cores: { worker: number; workers?: number[]; harness: number; serverNode?: number; others: number };
  /** Worker CPU per viewer above the presenter-only baseline, in ms of CPU per second. */
  workerMsPerViewerPerSec: number | null;
  /** The server's /metrics after the window, when the class could spread: its Routers and pipes. */
  spread?: { routers: number; pipes: number };
  /** With several workers: viewers and their loss (video and audio) by the RTC port (worker) serving them. */
  byWorker?: { port: number; viewers: number; lossPercent: number }[];
  /** Of the loss, what was already missing when the presenter's packets reached the worker. */
  ingressLossPercent?: number;
  joinToFirstPacketMs: {
    joinReplyP50: number;
    audioP50: number;
    audioP95: number;
    videoP50: number;
    videoP95: number;
  } | null;
}
