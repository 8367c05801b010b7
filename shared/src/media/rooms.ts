// Media rooms of a class, named in one module: `main` is the class's call, `pair:<key>` the call of the pair
// working on `<classId>/code/<key>` (the pair page). A breakout group is a class of its own (its group token
// names it), so its call is that class's `main` room. The server checks who may join which.
import * as v from 'valibot';
import { ID_PATTERN } from '../ids.ts';

export const MAIN_ROOM = 'main';
const PAIR_PREFIX = 'pair:';

export type RoomScope = { kind: 'main' } | { kind: 'pair'; key: string };

export type RoomScopeParse = { ok: true; value: RoomScope } | { ok: false; reason: string };

export function parseRoomScope(room: string): RoomScopeParse {
  if (room === MAIN_ROOM) return { ok: true, value: { kind: 'main' } };
  if (room.startsWith(PAIR_PREFIX)) {
    const key = room.slice(PAIR_PREFIX.length);
    if (ID_PATTERN.test(key)) return { ok: true, value: { kind: 'pair', key } };
    return {
      ok: false,
      reason: 'a pair room is pair:<key> with the pair’s document key (1-64 of A-Z a-z 0-9 _ -)',
    };
  }
  return { ok: false, reason: `room must be "${MAIN_ROOM}" or "${PAIR_PREFIX}<key>"` };
}

export function formatRoomScope(scope: RoomScope): string {
  return scope.kind === 'main' ? MAIN_ROOM : `${PAIR_PREFIX}${scope.key}`;
}

export function pairRoom(key: string): string {
  return formatRoomScope({ kind: 'pair', key });
}

/** The `room` of a join request: what parseRoomScope accepts. */
export const roomScopeSchema = v.pipe(
  v.string(),
  v.maxLength(PAIR_PREFIX.length + 64),
  v.check((room) => parseRoomScope(room).ok, `room must be "${MAIN_ROOM}" or "${PAIR_PREFIX}<key>"`),
);
