// Breakout rooms for staff: split the class into random or chosen groups, visit a group, broadcast to all
// groups, close them. Students see their group and a way in (they are taken there when groups open).
import { type BreakoutView, type ClassState, ownValue } from '@tandem/shared';
import { useState } from 'react';
import type { ClassroomApi } from './api.ts';
import { enterGroup } from './breakoutNav.ts';

export interface BreakoutPanelProps {
  api: ClassroomApi;
  state: ClassState;
  staff: boolean;
  mainToken: string;
  students: readonly { id: string; name: string }[];
}

export function BreakoutPanel({ api, state, staff, mainToken, students }: BreakoutPanelProps) {
  const [count, setCount] = useState(2);
  const [mode, setMode] = useState<'random' | 'chosen'>('random');
  const [chosen, setChosen] = useState<Record<string, number>>({});
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const view = state.breakouts;
  const open = view?.state === 'open' ? view : null;
  const run = (action: () => Promise<unknown>) => {
    setError(null);
    action().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const visit = (groupId?: string) =>
    run(async () =>
      enterGroup({ classId: state.classId, token: mainToken }, await api.breakoutToken(groupId)),
    );

  if (!staff) {
    const mine = open?.groups.find((g) => g.id === open.myGroupId);
    if (!mine) return null;
    return (
      <div className="breakout-banner" data-testid="breakout-banner">
        You are in <strong>{mine.name}</strong>
        <button type="button" className="button primary" onClick={() => visit()}>
          Join your group
        </button>
        {error && <span className="form-error">{error}</span>}
      </div>
    );
  }

  const start = () => {
    const groups = Array.from({ length: count }, (_, i) => ({
      members: students.filter((s) => (ownValue(chosen, s.id) ?? 0) === i + 1).map((s) => s.id),
    }));
    run(() => api.openBreakouts(mode === 'random' ? { mode, groupCount: count } : { mode, groups }));
  };

  return (
    <section className="breakouts" aria-label="Breakout rooms" data-testid="breakouts">
      <div className="panel-header">
        <h3>Breakout rooms</h3>
      </div>
      {open ? (
        <OpenGroups view={open} onVisit={visit} />
      ) : (
        <div className="control-row">
          <label>
            Groups{' '}
            <input
              type="number"
              min={1}
              max={50}
              value={count}
              onChange={(e) => setCount(Number(e.target.value) || 1)}
            />
          </label>
          <select
            value={mode}
            onChange={(e) => setMode(e.target.value === 'chosen' ? 'chosen' : 'random')}
            aria-label="How to split"
          >
            <option value="random">Random</option>
            <option value="chosen">Choose</option>
          </select>
          <button
            type="button"
            className="button primary"
            disabled={!state.session}
            onClick={start}
            data-testid="open-breakouts"
          >
            Open
          </button>
        </div>
      )}
      {!open && mode === 'chosen' && (
        <ul className="breakout-assign">
          {students.map((s) => (
            <li key={s.id}>
              {s.name}
              <select
                value={ownValue(chosen, s.id) ?? 0}
                onChange={(e) => setChosen({ ...chosen, [s.id]: Number(e.target.value) })}
                aria-label={`Group for ${s.name}`}
              >
                <option value={0}>main room</option>
                {Array.from({ length: count }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    Group {n}
                  </option>
                ))}
              </select>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <form
          className="control-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (message.trim()) run(() => api.broadcast(message.trim()).then(() => setMessage('')));
          }}
        >
          <input
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder="Message to every group"
            maxLength={500}
          />
          <button type="submit" className="button">
            Broadcast
          </button>
          <button
            type="button"
            className="button danger"
            onClick={() => run(api.closeBreakouts)}
            data-testid="close-breakouts"
          >
            Close rooms
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function OpenGroups({ view, onVisit }: { view: BreakoutView; onVisit(groupId: string): void }) {
  return (
    <ul className="breakout-groups">
      {view.groups.map((g) => (
        <li key={g.id}>
          <strong>{g.name}</strong>{' '}
          <span className="muted">{g.members.map((m) => m.name).join(', ') || 'nobody'}</span>
          <button type="button" className="small-button" onClick={() => onVisit(g.id)}>
            Visit
          </button>
        </li>
      ))}
    </ul>
  );
}
