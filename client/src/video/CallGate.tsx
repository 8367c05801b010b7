// What the call shows before and around the tiles: that video is unavailable (before Join too), the pre-join
// preview, "session expired", a refusal, "joining/reconnecting", and notes and errors once in the call.
// The tiles themselves (children) show only once joining has started.
import type { ReactNode } from 'react';
import { PreviewPane } from './PreviewPane.tsx';
import type { Call } from './useCall.ts';

export function CallGate({ call, children }: { call: Call; children: ReactNode }) {
  const { state, status, session } = call;
  const idle = state.phase === 'idle' || state.phase === 'left';
  // Turned off by the server's configuration: nothing is wrong and nothing will change by asking again.
  if (idle && status?.available === false && status.kind === 'disabled') {
    return (
      <div className="call-gate">
        <p className="media-note" data-testid="media-unavailable" data-kind="disabled">
          Video calls are turned off on this server.
        </p>
      </div>
    );
  }
  if (idle && status?.available === false) {
    return (
      <div className="call-gate">
        <p className="media-error" role="alert" data-testid="media-unavailable">
          Video is not available: {status.reason ?? 'this server has no video calls'}.
        </p>
        <button type="button" className="small-button" onClick={call.recheck}>
          Check again
        </button>
      </div>
    );
  }
  if (idle) {
    return (
      <div className="call-gate">
        {state.notice && <p className="media-note">{state.notice}</p>}
        <PreviewPane canPublish={{ mic: call.can.mic, cam: call.can.cam }} busy={false} onJoin={call.join} />
      </div>
    );
  }
  if (state.phase === 'expired') {
    return (
      <div className="refused" role="alert" data-testid="media-expired" data-reason="expired">
        <strong>Session expired</strong>
        <p>{state.error}</p>
      </div>
    );
  }
  if (state.phase === 'unavailable' || state.phase === 'refused') {
    return (
      <p className="media-error" role="alert" data-testid="media-unavailable">
        {state.phase === 'unavailable' ? 'Video is not available right now' : 'The call refused you'}
        {state.error ? `: ${state.error}` : '.'}
      </p>
    );
  }
  return (
    <>
      {state.phase !== 'joined' && (
        <p className="media-note" role="status">
          {state.phase === 'connecting' ? 'Joining the call…' : 'Reconnecting to the call…'}
        </p>
      )}
      {children}
      {state.notice && (
        <p className="media-note" role="status">
          {state.notice}{' '}
          <button type="button" className="small-button" onClick={() => session.clearNotice()}>
            OK
          </button>
        </p>
      )}
      {call.error && (
        <p className="media-error" role="alert">
          {call.error}
        </p>
      )}
    </>
  );
}
