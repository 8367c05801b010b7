// Who is on the wall: the workspaces the server knows (roster, present, received a hand-out) merged with the
// students present on the class's code document now, and the current hand-out (the starter tiles compare
// with). Reloaded every WALL_RELOAD_MS and on demand (after a hand-out). The list's facts (last edit, in
// class) and the class code's people stand in for tiles that are not on screen.
import type { Handout, WorkspaceSummary } from '@tandem/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ClassroomApi } from '../classroom/api.ts';
import type { Peer } from '../presence/peerState.ts';
import { workspaceApi } from '../workspaces/workspaceApi.ts';

const WALL_RELOAD_MS = 15_000;

export interface WallRoster {
  students: { userId: string; name: string }[];
  /** What the server's list says of each student (last edit, in class), by user id. */
  listed: ReadonlyMap<string, WorkspaceSummary>;
  /** Students on the class code now (its awareness), by user id. */
  present: ReadonlySet<string>;
  handout: Handout | null;
  error: string | null;
  reload(): void;
}

export function useWallRoster(api: ClassroomApi, classPeers: readonly Peer[]): WallRoster {
  const [listed, setListed] = useState<WorkspaceSummary[]>([]);
  const [handout, setHandout] = useState<Handout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    workspaceApi.list(api).then(
      (r) => {
        setListed(r.workspaces);
        setHandout(r.handout);
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [api]);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, WALL_RELOAD_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const presentKey = classPeers
    .filter((p) => p.user.role === 'student')
    .map((p) => `${p.user.id}\u0000${p.user.name}`)
    .sort()
    .join('\u0001');
  const students = useMemo(() => {
    const byId = new Map(listed.map((w) => [w.userId, w.name]));
    for (const entry of presentKey ? presentKey.split('\u0001') : []) {
      const [id, name] = entry.split('\u0000') as [string, string];
      if (!byId.has(id)) byId.set(id, name);
    }
    return [...byId].map(([userId, name]) => ({ userId, name }));
  }, [listed, presentKey]);
  const byId = useMemo(() => new Map(listed.map((w) => [w.userId, w])), [listed]);
  const present = useMemo(
    () => new Set(presentKey ? presentKey.split('\u0001').map((e) => e.split('\u0000')[0]!) : []),
    [presentKey],
  );
  return { students, listed: byId, present, handout, error, reload };
}
