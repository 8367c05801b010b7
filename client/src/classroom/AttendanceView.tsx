// Attendance of the current session for staff: time present, speaking time, messages and hands per person,
// refreshed on demand, and the CSV download.
import type { AttendanceReport, SessionInfo } from '@tandem/shared';
import { useCallback, useEffect, useState } from 'react';
import type { ClassroomApi } from './api.ts';

const duration = (seconds: number) => {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
};

export function AttendanceView({ api, session }: { api: ClassroomApi; session: SessionInfo }) {
  const [report, setReport] = useState<AttendanceReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .attendance(session.id)
      .then(setReport, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, session.id]);
  useEffect(load, [load]);

  const download = async () => {
    const blob = await api.attendanceCsv(session.id);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `attendance-${session.id}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section className="attendance" aria-label="Attendance" data-testid="attendance">
      <div className="panel-header">
        <h3>Attendance</h3>
        <span>
          <button type="button" className="small-button" onClick={load}>
            Refresh
          </button>{' '}
          <button type="button" className="small-button" onClick={() => void download()}>
            Download CSV
          </button>
        </span>
      </div>
      {error && <p className="form-error">{error}</p>}
      {report && (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Present</th>
              <th>Spoke</th>
              <th title="Messages">Msgs</th>
              <th title="Hands raised">Hands</th>
            </tr>
          </thead>
          <tbody>
            {report.participants.map((p) => (
              <tr key={p.userId} className={p.intervals.length === 0 ? 'absent' : p.presentNow ? 'here' : ''}>
                <td title={p.userId}>
                  {p.name}
                  {p.presentNow && <span className="here-dot" title="here now" />}
                </td>
                <td>{p.intervals.length === 0 ? 'absent' : duration(p.presentSeconds)}</td>
                <td>{duration(p.speakingSeconds)}</td>
                <td>{p.messages}</td>
                <td>{p.handsRaised}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
