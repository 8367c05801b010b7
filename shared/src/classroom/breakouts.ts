// Breakout rooms. Each group is its own class id, `<classId>--r<set>g<n>` (shortened with a hash when long),
// so every existing rule applies unchanged: the server mints group tokens (same user and role, `cls` = the
// group's id) for members and visiting staff; the group's code, board, chat and media live under that id.
import * as v from 'valibot';
import { idSchema } from '../ids.ts';
import { notArray } from '../validation.ts';
import type { PersonRef } from './controls.ts';

export const MAX_BREAKOUT_GROUPS = 50;

const startFrom = v.optional(
  v.pipe(idSchema, v.description('key of the code document to copy (default "main")')),
);

export const createBreakoutsBodySchema = v.variant('mode', [
  v.strictObject({
    mode: v.literal('random'),
    groupCount: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_BREAKOUT_GROUPS)),
    startFrom,
  }),
  v.strictObject({
    mode: v.literal('chosen'),
    groups: v.pipe(
      v.array(
        v.strictObject({
          name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60))),
          members: v.pipe(v.array(idSchema), v.maxLength(500)),
        }),
      ),
      v.minLength(1),
      v.maxLength(MAX_BREAKOUT_GROUPS),
      v.check((groups) => {
        const all = groups.flatMap((g) => g.members);
        return new Set(all).size === all.length;
      }, 'a person can be in one group only'),
    ),
    startFrom,
  }),
]);
export type CreateBreakoutsBody = v.InferOutput<typeof createBreakoutsBodySchema>;

export const breakoutTokenBodySchema = v.pipe(
  v.unknown(),
  notArray,
  v.strictObject({ groupId: v.optional(idSchema) }),
);
export const breakoutBroadcastBodySchema = v.strictObject({
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500)),
});

export interface BreakoutGroup {
  id: string;
  name: string;
  /** The group's own class id: documents `<classId>/code/main`, `<classId>/chat/main`, media room. */
  classId: string;
  members: PersonRef[];
}

export interface BreakoutView {
  setId: number;
  sessionId: string;
  state: 'open' | 'closed';
  createdAt: number;
  closedAt: number | null;
  /** Staff see every group; a student sees only their own. */
  groups: BreakoutGroup[];
  /** The caller's group, if any. */
  myGroupId: string | null;
}

export interface BreakoutTokenReply {
  token: string;
  classId: string;
  group: BreakoutGroup;
  expiresAt: number;
}
