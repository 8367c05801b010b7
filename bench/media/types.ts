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
  cores: { worker: number; harness: number; serverNode?: number };
  /** Worker CPU per viewer above the presenter-only baseline, in ms of CPU per second. */
  workerMsPerViewerPerSec: number | null;
  joinToFirstPacketMs: {
    joinReplyP50: number;
    audioP50: number;
    audioP95: number;
    videoP50: number;
    videoP95: number;
  } | null;
}
