// When the server refuses the token (expired, invalid, or not for this class) or staff removed this person
// from the class: a message that says what to do, and the workspace below greyed out and inert (what was
// loaded stays visible, nothing can be changed). A removed person tries again once they are let back in.
import type { ReactNode } from 'react';
import type { CollabSession } from '../collab/CollabSession.ts';
import { describeConnection } from '../collab/connectionState.ts';
import { useConnectionState } from '../collab/useCollab.ts';

const TITLES = {
  expired: 'Session expired',
  unauthorized: 'Access refused',
  forbidden: 'Access refused',
  removed: 'Removed from this class',
} as const;

export function RefusedGate({ session, children }: { session: CollabSession; children: ReactNode }) {
  const state = useConnectionState(session);
  const refused = state.status === 'refused';
  return (
    <>
      {refused && (
        <div className="refused" role="alert" data-testid="refused" data-reason={state.reason}>
          <strong>{TITLES[state.reason]}</strong>
          <p>{describeConnection(state)}</p>
          {state.message && <p className="muted">Server said: {state.message}</p>}
          {state.reason === 'removed' && (
            <button type="button" onClick={() => session.retry()} data-testid="try-again">
              Try again
            </button>
          )}
        </div>
      )}
      <div className="room-wrap" inert={refused}>
        {children}
      </div>
    </>
  );
}
