// Staff, for a finished recording of the session with no video yet: "Make a video for replay" (the MP4
// export). While an export runs the page says so (and does not offer a second one); once it is done, a reload
// plays it.
import type { ReplayInfo } from '@tandem/shared';
import { useEffect, useState } from 'react';
import type { ReplayApi } from './replayApi.ts';

const POLL_MS = 3000;

type OfferState = 'checking' | 'idle' | 'making' | 'ready' | { error: string };

export function ExportOffer({ api, info }: { api: ReplayApi; info: ReplayInfo }) {
  const missing = info.recordings.filter((r) => r.video === null && r.stoppedAt !== null);
  const wanted = info.canExport && missing.length > 0;
  const ids = missing.map((r) => r.id).join(',');
  const [state, setState] = useState<OfferState>('checking');

  useEffect(() => {
    if (!wanted || (state !== 'checking' && state !== 'making')) return;
    let cancelled = false;
    const check = async () => {
      const views = await Promise.all(ids.split(',').map((id) => api.recording(id)));
      const exports = views.flatMap((v) => v.exports);
      if (cancelled) return;
      if (views.every((v) => v.exports.some((e) => e.state === 'done'))) setState('ready');
      else if (exports.some((e) => e.state === 'queued' || e.state === 'running')) setState('making');
      else if (state === 'checking') setState('idle');
    };
    const timer = setTimeout(
      () => void check().catch((e: unknown) => !cancelled && setState({ error: String(e) })),
      state === 'checking' ? 0 : POLL_MS,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, ids, wanted, state]);

  if (!wanted || state === 'checking') return null;
  const make = () => {
    setState('making');
    Promise.all(missing.map((r) => api.exportRecording(r.id))).catch((e: unknown) =>
      setState({ error: e instanceof Error ? e.message : String(e) }),
    );
  };
  return (
    <span
      className="replay-export"
      data-testid="replay-export"
      data-state={typeof state === 'string' ? state : 'error'}
    >
      {state === 'idle' && (
        <button type="button" className="small-button" onClick={make} data-testid="make-video">
          Make a video for replay
        </button>
      )}
      {state === 'making' && <span className="muted">The video is being made…</span>}
      {state === 'ready' && (
        <button type="button" className="small-button" onClick={() => window.location.reload()}>
          The video is ready: reload to play it
        </button>
      )}
      {typeof state === 'object' && <span className="form-error">{state.error}</span>}
    </span>
  );
}
