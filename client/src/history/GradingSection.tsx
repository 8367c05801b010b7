// Staff's part of the History panel: a student's workspace activity for grading (editing time in sessions,
// edits over time, large pastes) and workspace downloads, one student's or the whole class's, as zips. The
// students to choose from are every student whose workspace the class knows of, present or not
// (useGradingStudents.ts).
import type { ActivityReply } from '@tandem/shared';
import { useState } from 'react';
import { formatWhen } from './blameDecorations.ts';
import type { HistoryApi } from './historyApi.ts';
import { useBusyAction } from './useBusyAction.ts';
import { useGradingStudents } from './useGradingStudents.ts';

export interface GradingStudent {
  id: string;
  name: string;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

export function GradingSection({ api, present }: { api: HistoryApi; present: readonly GradingStudent[] }) {
  const { students, error: listError } = useGradingStudents(api, present);
  const [chosen, setChosen] = useState<string>('');
  const [activity, setActivity] = useState<ActivityReply | null>(null);
  const { busy, error, run } = useBusyAction();
  const studentId = chosen || students[0]?.id || '';

  const peak = Math.max(1, ...(activity?.buckets.map((b) => b.edits) ?? []));

  return (
    <section className="history-grading" data-testid="grading">
      <h2>Workspaces</h2>
      <div className="history-compare">
        <label>
          Student
          <select
            value={studentId}
            onChange={(e) => {
              setChosen(e.target.value);
              setActivity(null);
            }}
            data-testid="grading-student"
          >
            {students.length === 0 && <option value="">No student has a workspace</option>}
            {students.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="link-button"
          disabled={busy || !studentId}
          onClick={() => void run(async () => setActivity(await api.activity(studentId)))}
          data-testid="grading-activity"
        >
          Activity
        </button>
        <button
          type="button"
          className="link-button"
          disabled={busy || !studentId}
          onClick={() => void run(() => api.downloadWorkspaces(studentId))}
        >
          Download (zip)
        </button>
        <button
          type="button"
          className="link-button"
          disabled={busy}
          onClick={() => void run(() => api.downloadWorkspaces(null))}
        >
          Download every workspace
        </button>
      </div>
      {(error ?? listError) && (
        <p className="history-error" role="alert">
          {error ?? `Only the students present are listed: ${listError}`}
        </p>
      )}
      {activity && (
        <div className="grading-activity" data-testid="grading-summary">
          <p>
            {minutes(activity.editingMs)} editing in {activity.sessions.length} session
            {activity.sessions.length === 1 ? '' : 's'} · {activity.edits} edits · {activity.inserted}{' '}
            characters typed or pasted
            {activity.lastEditAt !== null && <> · last edit {formatWhen(activity.lastEditAt)}</>}
          </p>
          {activity.buckets.length > 0 && (
            <div className="grading-buckets" role="img" aria-label="Edits per hour">
              {activity.buckets.map((b) => (
                <span
                  key={b.start}
                  className="grading-bucket"
                  style={{ height: `${Math.max(4, (b.edits / peak) * 48)}px` }}
                  title={`${new Date(b.start).toLocaleString()}: ${b.edits} edits`}
                />
              ))}
            </div>
          )}
          {activity.pastes.length === 0 ? (
            <p className="muted">No large pastes.</p>
          ) : (
            <ul className="grading-pastes" data-testid="grading-pastes">
              {activity.pastes.map((p) => (
                <li key={`${p.at}-${p.chars}`}>
                  Paste of {p.chars} characters · {formatWhen(p.at)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
