// Class recordings (docs/api.md, "Recordings"): the REST bodies, the manifest of one recording (tracks, their
// segments as files, pauses and gaps, all on the server clock), and what the class state says about it.
// Offsets are milliseconds from the recording's `startedAt` (epoch ms, the clock of the update log and chat).
import * as v from 'valibot';
import type { ProducerSource } from './media/rules.ts';
import type { Role } from './roles.ts';

export const recordingActionBodySchema = v.strictObject({ action: v.picklist(['start', 'stop']) });
export type RecordingAction = v.InferOutput<typeof recordingActionBodySchema>['action'];

/**
 * `scheduled`: the session records from its start (armed while it is not live yet); `recording`: running;
 * `stopped`: finished, files final; `failed`: stopped by a fault (`stopReason` says which).
 */
export const RECORDING_STATES = ['scheduled', 'recording', 'stopped', 'failed'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];

export interface OffsetInterval {
  startOffsetMs: number;
  /** null while it lasts. */
  endOffsetMs: number | null;
}

export interface RecordingGap extends OffsetInterval {
  /** Why nothing was written (the recorder process died, the disk could not be written). */
  reason: string;
}

/** Why a segment's file ended. */
export const SEGMENT_END_REASONS = [
  'paused',
  'closed',
  'stopped',
  'room-closed',
  'recorder-died',
  'write-failed',
] as const;
export type SegmentEndReason = (typeof SEGMENT_END_REASONS)[number];

/** One file: what one recorder process wrote without interruption. */
export interface RecordingSegment {
  id: string;
  /** Relative to the recording's folder. */
  file: string;
  container: 'webm' | 'mkv';
  startOffsetMs: number;
  endOffsetMs: number | null;
  endReason: SegmentEndReason | null;
  bytes: number | null;
  /** The file was left by a recorder that did not finish it and was remuxed so it can be seeked. */
  repaired: boolean;
}

/** One producer (a person's microphone, camera, screen or screen audio) for as long as it lasted. */
export interface RecordingTrack {
  id: string;
  producerId: string;
  userId: string;
  name: string;
  role: Role;
  source: ProducerSource;
  kind: 'audio' | 'video';
  /** e.g. `audio/opus`, `video/VP8`, `video/H264`. */
  codec: string;
  startOffsetMs: number;
  endOffsetMs: number | null;
  /** The producer was paused (muted, camera off): nothing to write, and a new segment after it. */
  pauses: OffsetInterval[];
  /** Nothing was written although the producer was live. */
  gaps: RecordingGap[];
  segments: RecordingSegment[];
}

export interface RecordingManifest {
  /** Bumped when the shape changes incompatibly. */
  version: 1;
  id: string;
  sessionId: string;
  classId: string;
  /** The recording's folder, relative to RECORDINGS_DIR (null while scheduled). */
  folder: string | null;
  state: RecordingState;
  /** Epoch ms on the server clock; null while scheduled. */
  startedAt: number | null;
  stoppedAt: number | null;
  /** Why it stopped: `stopped by <name>`, `the session ended`, or the fault. */
  stopReason: string | null;
  /** Who started it (null for the course platform or a schedule). */
  startedBy: string | null;
  tracks: RecordingTrack[];
  /** MP4 exports made of this recording (absent before the first). */
  exports?: RecordingExport[];
}

export const EXPORT_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

/** One MP4 of a whole recording: the screen share large, the main speaker's camera small, every voice mixed. */
export interface RecordingExport {
  id: string;
  state: ExportState;
  /** 0..1 of the recording's duration encoded so far. */
  progress: number;
  /** Relative to the recording's folder, once done. */
  file: string | null;
  bytes: number | null;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
  /** How many seconds of recording were encoded per second (x real time), once done. */
  speed: number | null;
}

/** A manifest as the API gives it: each segment (and finished export) with a short-lived download URL. */
export interface RecordingView extends Omit<RecordingManifest, 'tracks' | 'exports'> {
  exports: (RecordingExport & { url: string | null })[];
  tracks: (Omit<RecordingTrack, 'segments'> & {
    segments: (RecordingSegment & { url: string | null })[];
  })[];
  /** When the download URLs stop working (epoch ms). */
  urlsExpireAt: number;
}

/** What every page of the class shows (part of the class state, and pushed as a `recording` notice). */
export interface RecordingIndicator {
  recordingId: string;
  state: 'recording';
  startedAt: number;
}

export const RECORDING_MANIFEST_FILE = 'manifest.json';
