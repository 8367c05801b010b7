// A new recording's manifest, and arming a session to record from its start (a `scheduled` recording the
// recording service begins when the session starts): the one place both are made.
import crypto from 'node:crypto';
import type { RecordingManifest } from '@tandem/shared';
import type { RecordingStorage } from '../storage/types/recordings.ts';

export function newManifest(
  sessionId: string,
  classId: string,
  byId: string | null,
  state: 'scheduled' | 'recording',
): RecordingManifest {
  return {
    version: 1,
    id: `rec_${crypto.randomBytes(9).toString('base64url')}`,
    sessionId,
    classId,
    folder: null,
    state,
    startedAt: null,
    stoppedAt: null,
    stopReason: null,
    startedBy: byId,
    tracks: [],
  };
}

/** Arms a session to record from its start; answers the armed recording (the existing one if armed already). */
export async function armRecording(
  store: RecordingStorage,
  session: { id: string; classId: string },
  byId: string | null,
): Promise<RecordingManifest> {
  const armed = (await store.listBySession(session.id)).find((r) => r.state === 'scheduled');
  if (armed) return armed;
  const manifest = newManifest(session.id, session.classId, byId, 'scheduled');
  await store.create(manifest, Date.now());
  return manifest;
}
