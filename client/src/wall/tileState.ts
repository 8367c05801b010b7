// What one tile of the wall shows, as plain data computed from a workspace document and its awareness: the
// student's status, the lines around their cursor, when they last edited and how far they are from the
// starter; the merge of what a tile saw with what the server's list and the class's presence say (so tiles
// never on screen sort and filter right too); and the sorting and filtering of tiles. Pure, so it is tested
// without a browser.
import type { WorkspaceSummary } from '@tandem/shared';
import type { LineChanges } from './lineDiff.ts';

/** `in-class`: the student is in the class (on the class code, a group, the call) but not in their workspace. */
export type TileStatus = 'typing' | 'online' | 'idle' | 'in-class' | 'offline';

/** An edit this recent makes the student "typing". */
export const TYPING_WINDOW_MS = 4000;
/** Lines shown above and below the cursor. */
export const SNIPPET_RADIUS = 3;

export interface TileFacts {
  userId: string;
  name: string;
  /** The student has this workspace open (their awareness state is on it). */
  online: boolean;
  /** The student is in the class now, wherever (known for every tile, on screen or not). */
  inClass: boolean;
  idle: boolean;
  handRaised: boolean;
  /** When the student's last edit arrived (ms), or null when none was seen. */
  lastEditAt: number | null;
  changes: LineChanges | null;
}

export function tileStatus(
  f: Pick<TileFacts, 'online' | 'inClass' | 'idle' | 'lastEditAt'>,
  now: number,
): TileStatus {
  if (!f.online) return f.inClass ? 'in-class' : 'offline';
  if (f.lastEditAt !== null && now - f.lastEditAt < TYPING_WINDOW_MS) return 'typing';
  return f.idle ? 'idle' : 'online';
}

export interface Snippet {
  /** 1-based number of the first line shown. */
  firstLine: number;
  lines: string[];
  /** Index in `lines` of the cursor's line, or -1. */
  cursorAt: number;
}

/** The lines around `offset` in `text` (the file's start when the cursor is unknown). */
export function snippetAround(text: string, offset: number | null, radius = SNIPPET_RADIUS): Snippet {
  const all = text.split('\n');
  const cursorLine =
    offset === null ? -1 : text.slice(0, Math.min(offset, text.length)).split('\n').length - 1;
  const centre = cursorLine < 0 ? radius : cursorLine;
  const first = Math.max(0, Math.min(centre - radius, all.length - (2 * radius + 1)));
  const lines = all.slice(first, first + 2 * radius + 1);
  return { firstLine: first + 1, lines, cursorAt: cursorLine < 0 ? -1 : cursorLine - first };
}

/**
 * One tile's facts: what its subscription saw while it was on screen (`seen`), merged with what every tile
 * has: the server's list (the owner's last edit, in class) and the class code's people now (`inClassNow`).
 * A tile never on screen still sorts by its last edit and passes the "online" filter when its student is in.
 */
export function mergeTileFacts(
  student: { userId: string; name: string },
  seen: TileFacts | undefined,
  listed: Pick<WorkspaceSummary, 'lastEditAt' | 'inClass'> | undefined,
  inClassNow: boolean,
  handRaised: boolean,
): TileFacts {
  const edits = [seen?.lastEditAt ?? null, listed?.lastEditAt ?? null].filter((t): t is number => t !== null);
  const online = seen?.online ?? false;
  return {
    userId: student.userId,
    name: student.name,
    online,
    inClass: online || inClassNow || (listed?.inClass ?? false),
    idle: seen?.idle ?? false,
    handRaised,
    lastEditAt: edits.length > 0 ? Math.max(...edits) : null,
    changes: seen?.changes ?? null,
  };
}

export type WallSort = 'name' | 'lastEdit' | 'changes' | 'hands';
export type WallFilter = 'all' | 'online' | 'hands' | 'stuck';

const changed = (f: TileFacts) => (f.changes ? f.changes.added + f.changes.removed : -1);

export function sortTiles(tiles: readonly TileFacts[], sort: WallSort): TileFacts[] {
  const byName = (a: TileFacts, b: TileFacts) =>
    a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId);
  const order: Record<WallSort, (a: TileFacts, b: TileFacts) => number> = {
    name: byName,
    lastEdit: (a, b) => (b.lastEditAt ?? 0) - (a.lastEditAt ?? 0) || byName(a, b),
    changes: (a, b) => changed(b) - changed(a) || byName(a, b),
    hands: (a, b) => Number(b.handRaised) - Number(a.handRaised) || byName(a, b),
  };
  return [...tiles].sort(order[sort]);
}

/** `online`: in the class (in the workspace or not). `stuck`: in class but no edit for `stuckAfterMs` (or none). */
export function filterTiles(
  tiles: readonly TileFacts[],
  filter: WallFilter,
  query: string,
  now: number,
  stuckAfterMs = 120_000,
): TileFacts[] {
  const q = query.trim().toLowerCase();
  return tiles.filter((t) => {
    if (q && !t.name.toLowerCase().includes(q) && !t.userId.toLowerCase().includes(q)) return false;
    switch (filter) {
      case 'all':
        return true;
      case 'online':
        return t.online || t.inClass;
      case 'hands':
        return t.handRaised;
      case 'stuck':
        return (t.online || t.inClass) && (t.lastEditAt === null || now - t.lastEditAt > stuckAfterMs);
      default: {
        const unreachable: never = filter;
        return unreachable;
      }
    }
  });
}
