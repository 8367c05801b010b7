// Raised hands: a button to raise or lower your own; for staff, the queue in the order hands went up, with a
// way to lower each (or all).
import type { ClassState, Role } from '@tandem/shared';
import { useState } from 'react';
import { Icon } from '../ui/icons.tsx';
import type { ClassroomApi } from './api.ts';

export interface HandsPanelProps {
  api: ClassroomApi;
  state: ClassState;
  role: Role;
  selfId: string;
}

export function HandsPanel({ api, state, role, selfId }: HandsPanelProps) {
  const [error, setError] = useState<string | null>(null);
  const staff = role === 'instructor' || role === 'assistant';
  const run = (action: () => Promise<unknown>) => {
    setError(null);
    action().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const since = (at: number) => `${Math.max(0, Math.round((Date.now() - at) / 60_000))} min`;

  return (
    <section className="classroom-hands" aria-label="Raised hands" data-testid="hands-panel">
      {role !== 'observer' && !staff && (
        <button
          type="button"
          className={state.myHandRaised ? 'hand-button raised' : 'hand-button primary'}
          disabled={!state.session}
          onClick={() => run(() => (state.myHandRaised ? api.lowerHand(selfId) : api.raiseHand()))}
          data-testid="raise-hand"
        >
          {state.myHandRaised ? (
            'Lower hand'
          ) : (
            <>
              <Icon name="hand" /> Raise hand
            </>
          )}
        </button>
      )}
      {!state.session && <p className="muted">Hands open when the class is live.</p>}
      {staff && (
        <>
          <div className="panel-header">
            <h3>Queue</h3>
            {state.hands.length > 0 && (
              <button type="button" className="small-button" onClick={() => run(api.lowerAllHands)}>
                Lower all
              </button>
            )}
          </div>
          <ol className="hand-queue" data-testid="hand-queue">
            {state.hands.length === 0 && <li className="muted">No hands raised.</li>}
            {state.hands.map((hand, i) => (
              <li key={hand.userId} data-user-id={hand.userId}>
                <span className="hand-position">{i + 1}</span>
                <span className="hand-name">{hand.name}</span>
                {hand.groupId && <span className="hand-group">{hand.groupId}</span>}
                <span className="muted">{since(hand.raisedAt)}</span>
                <button
                  type="button"
                  className="small-button"
                  onClick={() => run(() => api.lowerHand(hand.userId))}
                >
                  Lower
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
