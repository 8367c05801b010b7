// The recording contract: one row per recording of a session, holding its manifest (tracks, segments, pauses,
// gaps) as JSON beside the columns the server looks things up by: the session, the state (a recording left
// `recording` by a crash is repaired at start; a `scheduled` one starts with its session) and when it stopped
// (retention).
import type { RecordingManifest, RecordingState } from '@tandem/shared';

export interface RecordingStorage {
  /** Stores a new recording (its id is the manifest's). */
  create(manifest: RecordingManifest, now: number): Promise<void>;
  /** Replaces a recording's manifest (and the columns taken from it); false when it was deleted. */
  save(manifest: RecordingManifest, now: number): Promise<boolean>;
  get(id: string): Promise<RecordingManifest | null>;
  /** A session's recordings, oldest first. */
  listBySession(sessionId: string): Promise<RecordingManifest[]>;
  /** Every recording in one state, oldest first. */
  inState(state: RecordingState): Promise<RecordingManifest[]>;
  /** Recordings that stopped before `before` (retention), oldest first, at most `limit`. */
  stoppedBefore(before: number, limit: number): Promise<RecordingManifest[]>;
  remove(id: string): Promise<boolean>;
}
