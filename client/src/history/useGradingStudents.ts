// The students the History panel's Workspaces part offers for grading: every student whose workspace the class
// knows of (the workspace list: roster, present, or that received a hand-out), so one who has left can be
// graded too, merged with the students present now (named as they are here), by name.
import { useEffect, useMemo, useState } from 'react';
import type { GradingStudent } from './GradingSection.tsx';
import type { HistoryApi } from './historyApi.ts';

export interface GradingStudents {
  students: GradingStudent[];
  /** Why the workspace list could not be read (the students present are offered anyway). */
  error: string | null;
}

export function useGradingStudents(api: HistoryApi, present: readonly GradingStudent[]): GradingStudents {
  const [listed, setListed] = useState<GradingStudent[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api.workspaceStudents().then(
      (list) => {
        if (!current) return;
        setListed(list.map((w) => ({ id: w.userId, name: w.name })));
        setError(null);
      },
      (e: unknown) => {
        if (current) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      current = false;
    };
  }, [api]);
  const students = useMemo(() => {
    const byId = new Map(listed.map((s) => [s.id, s]));
    for (const s of present) byId.set(s.id, s);
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }, [listed, present]);
  return { students, error };
}
