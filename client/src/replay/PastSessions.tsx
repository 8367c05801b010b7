// "Past sessions" on the class page: the class's ended sessions, newest first, each with a Replay link that
// opens the replay page in a new tab (the page's token in the link's fragment, as class links carry it).
// Staff see it in the Class tab; students get a Replays tab when the class lets them replay.
import type { ClassInfo, SessionInfo } from '@tandem/shared';
import { useEffect, useState } from 'react';
import type { ClassroomApi } from '../classroom/api.ts';
import './replay.css';

/** The newest sessions listed (older ones stay reachable through the API). */
const SHOWN_SESSIONS = 20;

export function replayHref(sessionId: string, token: string): string {
  return `/replay/${encodeURIComponent(sessionId)}#token=${encodeURIComponent(token)}`;
}

/**
 * The class's ended sessions, newest first; for students only when the class's setting lets them replay.
 * Loaded again when the live session changes (one just ended).
 */
export function usePastSessions(api: ClassroomApi, staff: boolean, refreshKey: string | null) {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void refreshKey;
    let cancelled = false;
    (async () => {
      const { sessions: all } = await api.request<{ sessions: SessionInfo[] }>(
        'GET',
        `/api/classes/${encodeURIComponent(api.classId)}/sessions`,
      );
      const ended = all
        .filter((s) => s.state === 'ended' && s.startedAt)
        .sort((a, b) => Date.parse(b.startedAt ?? '') - Date.parse(a.startedAt ?? ''))
        .slice(0, SHOWN_SESSIONS);
      // Students: only when the class lets them replay (its setting, or the server's default when unset). The
      // class has a row once it has had a session, so this read is not refused.
      if (!staff && ended.length > 0) {
        const reply = await api.request<{ class: ClassInfo; studentsMayReplay?: boolean }>(
          'GET',
          `/api/classes/${encodeURIComponent(api.classId)}`,
        );
        if (!(reply.studentsMayReplay ?? reply.class.replayForStudents === true)) return [];
      }
      return ended;
    })().then(
      (list) => !cancelled && setSessions(list),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, staff, refreshKey]);
  return { sessions, error };
}

export function PastSessions({
  sessions,
  error,
  token,
}: {
  sessions: readonly SessionInfo[] | null;
  error: string | null;
  token: () => string;
}) {
  if (error) return <p className="form-error">Past sessions: {error}</p>;
  if (!sessions) return null;
  return (
    <section className="past-sessions" aria-label="Past sessions" data-testid="past-sessions">
      <h3>Past sessions</h3>
      {sessions.length === 0 && <p className="muted">No session has ended yet.</p>}
      <ul>
        {sessions.map((s) => (
          <li key={s.id} data-session-id={s.id}>
            <span>
              {s.title} ·{' '}
              {new Date(s.startedAt ?? s.createdAt).toLocaleString([], {
                dateStyle: 'medium',
                timeStyle: 'short',
              })}
            </span>{' '}
            <a
              className="small-button"
              href={replayHref(s.id, token())}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="replay-link"
            >
              Replay
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
