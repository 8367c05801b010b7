// The instructor's wall: a live grid of every student's workspace with sort, filter and search, the hand-out
// controls (HandOut.tsx: the class code or a template, asking before it replaces work), and one tile open
// full size at a time (WallDetail).
import { isStaff, type Theme } from '@tandem/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import type { LiveClass } from '../classroom/useLiveClass.ts';
import { HandOutButton } from './HandOut.tsx';
import type { OpenTileActions } from './openTile.ts';
import {
  filterTiles,
  mergeTileFacts,
  sortTiles,
  type TileFacts,
  type WallFilter,
  type WallSort,
} from './tileState.ts';
import { useWallRoster } from './useWallRoster.ts';
import { WallDetail } from './WallDetail.tsx';
import { WallTile } from './WallTile.tsx';
import './wall.css';

export interface WallProps {
  room: Classroom;
  live: LiveClass;
  classId: string;
  theme: Theme;
  /** Extra buttons for the open tile (the seam for running a student's code, #15). */
  openTileActions?: OpenTileActions;
}

const CLOCK_MS = 1000;

export function Wall({ room, live, classId, theme, openTileActions }: WallProps) {
  const claims = room.claims;
  const roster = useWallRoster(live.api, room.peers);
  const [facts, setFacts] = useState<ReadonlyMap<string, TileFacts>>(new Map());
  const [sort, setSort] = useState<WallSort>('name');
  const [filter, setFilter] = useState<WallFilter>('all');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  // Tiles report what they show as it changes (several times a second while students type); the wall takes
  // those reports in once per clock tick, so sorting and filtering re-render the grid at most once a second.
  const reported = useRef(new Map<string, TileFacts>());
  const dirty = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
      if (!dirty.current) return;
      dirty.current = false;
      setFacts(new Map(reported.current));
    }, CLOCK_MS);
    return () => clearInterval(timer);
  }, []);
  const onFacts = useCallback((f: TileFacts) => {
    reported.current.set(f.userId, f);
    dirty.current = true;
  }, []);
  const hands = useMemo(() => new Set((live.state?.hands ?? []).map((h) => h.userId)), [live.state?.hands]);

  const tiles = useMemo(() => {
    const all = roster.students.map((s) =>
      mergeTileFacts(
        s,
        facts.get(s.userId),
        roster.listed.get(s.userId),
        roster.present.has(s.userId),
        hands.has(s.userId),
      ),
    );
    return sortTiles(filterTiles(all, filter, query, now), sort);
  }, [roster.students, roster.listed, roster.present, facts, hands, filter, query, now, sort]);

  if (!claims || !isStaff(claims.role)) return null;
  const self = { userId: claims.sub, name: claims.name, role: claims.role as 'instructor' | 'assistant' };
  const openStudent = open ? roster.students.find((s) => s.userId === open) : undefined;
  if (openStudent) {
    return (
      <WallDetail
        session={room.session}
        live={live}
        classId={classId}
        student={openStudent}
        self={self}
        starter={roster.handout?.files ?? null}
        theme={theme}
        onClose={() => setOpen(null)}
        extraActions={openTileActions}
      />
    );
  }
  return (
    <section className="wall" aria-label="Wall of student workspaces" data-testid="wall">
      <div className="wall-toolbar">
        <HandOutButton live={live} classCode={room.code?.doc ?? null} onDone={roster.reload} />
        <span className="muted" data-testid="wall-handout">
          {roster.handout ? `Exercise ${roster.handout.revision} handed out` : 'No exercise handed out yet'}
        </span>
        <div className="wall-filters">
          <input
            type="search"
            placeholder="Find a student"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-label="Find a student"
          />
          <select value={filter} onChange={(e) => setFilter(e.target.value as WallFilter)} aria-label="Show">
            <option value="all">Everyone</option>
            <option value="online">Online</option>
            <option value="hands">Hands raised</option>
            <option value="stuck">No edit for 2 min</option>
          </select>
          <select value={sort} onChange={(e) => setSort(e.target.value as WallSort)} aria-label="Sort by">
            <option value="name">Name</option>
            <option value="lastEdit">Last edit</option>
            <option value="changes">Most changed</option>
            <option value="hands">Hands first</option>
          </select>
        </div>
      </div>
      {roster.error && <p className="error">{roster.error}</p>}
      {tiles.length === 0 ? (
        <p className="muted">No students yet: they appear here when they are on the roster or join.</p>
      ) : (
        <div className="wall-grid">
          {tiles.map((t) => (
            <WallTile
              key={t.userId}
              session={room.session}
              classId={classId}
              userId={t.userId}
              name={t.name}
              handRaised={t.handRaised}
              inClass={t.inClass}
              starter={roster.handout?.files ?? null}
              now={now}
              onFacts={onFacts}
              onOpen={setOpen}
            />
          ))}
        </div>
      )}
    </section>
  );
}
