// Staff, for a finished recording of the session with no video yet: "Make a video for replay" (the MP4
// export). While an export runs (made here, from the class page or over REST) the page shows its progress bar
// and a Cancel button, and does not offer a second one; once it is done, a reload plays it. If the last
// attempt failed, the offer comes back with the reason.
import type { RecordingExport, RecordingView, ReplayInfo } from '@tandem/shared';
import { useEffect, useState } from 'react';
import type { ReplayApi } from './replayApi.ts';

const POLL_MS = 2000;

type OfferState = 'checking' | 'idle' | 'starting' | 'making' | 'ready' | { error: string };

interface RunningExport {
  recordingId: string;
  exported: RecordingExport;
}

const isActive = (e: RecordingExport) => e.state === 'queued' || e.state === 'running';
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function ExportOffer({ api, info }: { api: ReplayApi; info: ReplayInfo }) {
  const missing = info.recordings.filter((r) => r.video === null && r.stoppedAt !== null);
  const wanted = info.canExport && missing.length > 0;
  const ids = missing.map((r) => r.id).join(',');
  const [state, setState] = useState<OfferState>('checking');
  const [running, setRunning] = useState<RunningExport[]>([]);
  /** Recordings still without a finished export (what "Make a video" exports). */
  const [needed, setNeeded] = useState<string[]>([]);
  const [lastFailure, setLastFailure] = useState<string | null>(null);
  // Each finished check schedules the next one while an export runs.
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` re-arms the poll after each check
  useEffect(() => {
    if (!wanted || (state !== 'checking' && state !== 'making')) return;
    let cancelled = false;
    const check = async () => {
      const views = await Promise.all(ids.split(',').map((id) => api.recording(id)));
      if (cancelled) return;
      const active = views.flatMap((v) =>
        v.exports.filter(isActive).map((exported) => ({ recordingId: v.id, exported })),
      );
      const without = views.filter((v) => !v.exports.some((e) => e.state === 'done'));
      setRunning(active);
      setNeeded(without.map((v) => v.id));
      setLastFailure(failureOf(without));
      if (without.length === 0) setState('ready');
      else if (active.length > 0) setState('making');
      else setState('idle');
      setRound((r) => r + 1);
    };
    const timer = setTimeout(
      () => void check().catch((e: unknown) => !cancelled && setState({ error: messageOf(e) })),
      state === 'checking' ? 0 : POLL_MS,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, ids, wanted, state, round]);

  if (!wanted || state === 'checking') return null;
  const make = () => {
    setState('starting');
    Promise.all(needed.map((id) => api.exportRecording(id))).then(
      () => setState('checking'),
      (e: unknown) => setState({ error: messageOf(e) }),
    );
  };
  const cancel = () => {
    setState('starting');
    Promise.all(running.map((r) => api.cancelExport(r.recordingId, r.exported.id))).then(
      () => setState('checking'),
      (e: unknown) => setState({ error: messageOf(e) }),
    );
  };
  return (
    <span
      className="replay-export"
      data-testid="replay-export"
      data-state={typeof state === 'string' ? state : 'error'}
    >
      {(state === 'idle' || state === 'starting') && (
        <>
          <button
            type="button"
            className="small-button"
            onClick={make}
            disabled={state === 'starting'}
            data-testid="make-video"
          >
            Make a video for replay
          </button>
          {lastFailure && <span className="form-error">The last video failed: {lastFailure}</span>}
        </>
      )}
      {state === 'making' && (
        <>
          <span className="muted">The video is being made…</span>
          {running.map(({ exported }) => (
            <ExportProgress key={exported.id} exported={exported} />
          ))}
          <button type="button" className="small-button" onClick={cancel} data-testid="cancel-video">
            Cancel
          </button>
        </>
      )}
      {state === 'ready' && (
        <button type="button" className="small-button" onClick={() => window.location.reload()}>
          The video is ready: reload to play it
        </button>
      )}
      {typeof state === 'object' && <span className="form-error">{state.error}</span>}
    </span>
  );
}

function ExportProgress({ exported }: { exported: RecordingExport }) {
  const percent = Math.round(exported.progress * 100);
  return (
    <span className="replay-export-progress">
      <progress max={100} value={percent} aria-label="Video progress" data-testid="video-progress" />
      <span>{exported.state === 'queued' ? 'Waiting…' : `${percent}%`}</span>
    </span>
  );
}

/** The error of the newest export, when that one failed (of recordings that still have no video). */
function failureOf(views: readonly RecordingView[]): string | null {
  for (const view of views) {
    const last = view.exports.at(-1);
    if (last?.state === 'failed') return last.error;
  }
  return null;
}
