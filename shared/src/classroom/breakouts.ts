// Breakout rooms. Each group is its own class id, `<classId>--r<set>g<n>` (shortened with a hash when long),
// so every existing rule applies unchanged: the server mints group tokens (same user and role, `cls` = the
// group's id) for members and visiting staff; the group's code, board, chat and media live under that id.
import { z } from 'zod';
import { idSchema } from '../ids.ts';
import type { PersonRef } from './controls.ts';

export const MAX_BREAKOUT_GROUPS = 50;

const startFrom = idSchema.optional().describe('key of the code document to copy (default "main")');

export const createBreakoutsBodySchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('random'),
    groupCount: z.number().int().min(1).max(MAX_BREAKOUT_GROUPS),
    startFrom,
  }),
  z.strictObject({
    mode: z.literal('chosen'),
    groups: z
      .array(
        z.strictObject({
          name: z.string().trim().min(1).max(60).optional(),
          members: z.array(idSchema).max(500),
        }),
      )
      .min(1)
      .max(MAX_BREAKOUT_GROUPS)
      .refine((groups) => {
        const all = groups.flatMap((g) => g.members);
        return new Set(all).size === all.length;
      }, 'a person can be in one group only'),
    startFrom,
  }),
]);
export type CreateBreakoutsBody = z.infer<typeof createBreakoutsBodySchema>;

export const breakoutTokenBodySchema = z.strictObject({ groupId: idSchema.optional() });
export const breakoutBroadcastBodySchema = z.strictObject({ text: z.string().trim().min(1).max(500) });

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
