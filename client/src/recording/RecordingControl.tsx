// Staff's recording switch in the class controls: start or stop recording the live session, with what is
// happening (recording since, starting, stopping) and the server's reason when it refuses; below it the
// session's finished recordings and their MP4 exports.
import type { ClassState } from '@tandem/shared';
import { useState } from 'react';
import type { ClassroomApi } from '../classroom/api.ts';
import { RecordingExports } from './RecordingExports.tsx';
import { setRecording } from './recordingApi.ts';

export function RecordingControl({ api, state }: { api: ClassroomApi; state: ClassState }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const session = state.session;
  const recording = state.recording;
  if (state.breakoutOf) return <span className="status-pill">Breakout rooms are not recorded</span>;
  // Not live: nothing records until staff start it (or the instructor ticks "Record from the start").
  if (!session) return <span className="status-pill">Not recording (the class is not live)</span>;
  const act = (action: 'start' | 'stop') => {
    setBusy(true);
    setError(null);
    setRecording(api, session.id, action)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      {recording ? (
        <>
          <span className="status-pill recording" data-testid="recording-since">
            Recording since{' '}
            {new Date(recording.startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
          </span>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => act('stop')}
            data-testid="stop-recording"
          >
            Stop recording
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button primary"
          disabled={busy}
          onClick={() => act('start')}
          data-testid="start-recording"
        >
          Start recording
        </button>
      )}
      {error && (
        <p className="media-error" role="alert">
          {error}
        </p>
      )}
      {/* Reloaded whenever a recording starts or stops (the key changes). */}
      <RecordingExports key={recording?.recordingId ?? 'idle'} api={api} sessionId={session.id} />
    </>
  );
}
