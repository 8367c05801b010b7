// When the server refuses the token (expired, invalid, or not for this class): a message that says what to
// do, and the workspace below greyed out and inert (what was loaded stays visible, nothing can be changed).
import type { ReactNode } from 'react';
import type { CollabSession } from '../collab/CollabSession.ts';
import { describeConnection } from '../collab/connectionState.ts';
import { useConnectionState } from '../collab/useCollab.ts';

export function RefusedGate({ session, children }: { session: CollabSession; children: ReactNode }) {
  const state = useConnectionState(session);
  const refused = state.status === 'refused';
  return (
    <>
      {refused && (
        <div className="refused" role="alert" data-testid="refused" data-reason={state.reason}>
          <strong>{state.reason === 'expired' ? 'Session expired' : 'Access refused'}</strong>
          <p>{describeConnection(state)}</p>
          {state.message && <p className="muted">Server said: {state.message}</p>}
        </div>
      )}
      <div className="room-wrap" inert={refused}>
        {children}
      </div>
    </>
  );
}
