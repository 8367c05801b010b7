// Staff's switch "Students may replay this class's sessions", next to the recording controls: the class
// setting `replayForStudents` (the same one that lets students watch recordings). Off until the server says
// otherwise; null (the server's default) shows as off with a note.
import type { ClassInfo } from '@tandem/shared';
import { useEffect, useState } from 'react';
import type { ClassroomApi } from '../classroom/api.ts';
import { Switch } from '../ui/Switch.tsx';

export function ReplaySetting({ api, known }: { api: ClassroomApi; known: boolean }) {
  const [value, setValue] = useState<boolean | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/classes/${encodeURIComponent(api.classId)}`;
  useEffect(() => {
    // A class known only from its tokens has no row (and no setting) until its first session.
    if (!known) return;
    let cancelled = false;
    api.request<{ class: ClassInfo }>('GET', path).then(
      (reply) => !cancelled && setValue(reply.class.replayForStudents ?? null),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, path, known]);
  if (!known) return <span className="muted">Once the class has had a session</span>;
  if (value === undefined) return null;
  return (
    <>
      <Switch
        checked={value === true}
        onChange={(on) => {
          setError(null);
          return api.request<{ class: ClassInfo }>('PATCH', path, { replayForStudents: on }).then(
            (reply) => setValue(reply.class.replayForStudents ?? null),
            (e: unknown) => {
              setError(e instanceof Error ? e.message : String(e));
              throw e;
            },
          );
        }}
        testId="replay-for-students"
      >
        Students may replay this class's sessions
      </Switch>
      {value === null && <span className="muted">(the server's default applies)</span>}
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
