// The message shown when the server refuses the token (expired, invalid, or not for this class).
import type { CollabSession } from '../collab/CollabSession.ts';
import { describeConnection } from '../collab/connectionState.ts';
import { useConnectionState } from '../collab/useCollab.ts';

export function RefusedBanner({ session }: { session: CollabSession }) {
  const state = useConnectionState(session);
  if (state.status !== 'refused') return null;
  return (
    <div className="refused" role="alert" data-testid="refused" data-reason={state.reason}>
      <strong>{state.reason === 'expired' ? 'Session expired' : 'Access refused'}</strong>
      <p>{describeConnection(state)}</p>
      {state.message && <p className="muted">Server said: {state.message}</p>}
    </div>
  );
}
