// Attendance of the current session for staff: the report (AttendanceTable.tsx: time present, speaking time,
// messages, hands, poll answers and quiz points per person, and the session's polls), refreshed on demand, and
// the CSV download.
import type { AttendanceReport, SessionInfo } from '@tandem/shared';
import { useCallback, useEffect, useState } from 'react';
import { AttendanceTable } from './AttendanceTable.tsx';
import type { ClassroomApi } from './api.ts';

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
        <span className="attendance-actions">
          <button type="button" className="small-button" onClick={load}>
            Refresh
          </button>{' '}
          <button type="button" className="small-button" onClick={() => void download()}>
            Download CSV
          </button>
        </span>
      </div>
      {error && <p className="form-error">{error}</p>}
      {report && <AttendanceTable report={report} />}
    </section>
  );
}
