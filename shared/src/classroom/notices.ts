// Class notices: server -> client pushes about the live class, carried as collab stateless messages (see
// ../collabNotices.ts) on every open document connection of the class. A client with several documents open
// gets each notice once per connection: `id` lets it keep the first.
import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { SESSION_STATES } from './classes.ts';
import { notificationSchema } from './notifications.ts';
import { POLL_CHANGES } from './pollViews.ts';

const person = z.object({ id: z.string(), name: z.string() });
const hand = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  raisedAt: z.number(),
  groupId: z.string().nullable(),
});
const base = { id: z.string() };
/** Who caused a notice, when a person did: their own page does not tell them about it again. */
const byId = z.string().nullable().optional();

export const classNoticeSchemas = [
  z.object({
    ...base,
    type: z.literal('session'),
    sessionId: z.string(),
    state: z.enum(SESSION_STATES),
    byId,
  }),
  /** To staff: the hand queue changed. */
  z.object({ ...base, type: z.literal('hands'), queue: z.array(hand) }),
  /** To one person: their hand went up or down (`byName` when staff lowered it). */
  z.object({ ...base, type: z.literal('hand'), raised: z.boolean(), byName: z.string().nullable() }),
  z.object({
    ...base,
    type: z.literal('announcement'),
    text: z.string(),
    byName: z.string(),
    at: z.number(),
    byId,
  }),
  z.object({ ...base, type: z.literal('locks'), codeLocked: z.boolean(), boardLocked: z.boolean() }),
  z.object({ ...base, type: z.literal('followMe'), leader: person.nullable() }),
  z.object({
    ...base,
    type: z.literal('spotlight'),
    user: person.nullable(),
    documentName: z.string().nullable(),
    byId,
  }),
  /** Staff brought everyone to the stage (`by`), or released it (null). */
  z.object({ ...base, type: z.literal('stage'), by: person.nullable() }),
  /** `byId` lets the one who muted everyone skip the notification about their own action. */
  z.object({ ...base, type: z.literal('mutedAll'), byName: z.string(), byId: z.string().nullable() }),
  /** To staff: someone was removed from the class or let back in (reload the class state). */
  z.object({ ...base, type: z.literal('removals') }),
  /** To one person: chat mute changed. */
  z.object({ ...base, type: z.literal('chatMuted'), muted: z.boolean(), until: z.number().nullable() }),
  z.object({ ...base, type: z.literal('chatSettings'), room: z.string(), slowModeSeconds: z.number() }),
  /** Breakouts opened, changed or closed: reload the class state (a member's group is in it). */
  z.object({
    ...base,
    type: z.literal('breakouts'),
    state: z.enum(['open', 'closed']),
    /** For members inside a group when it closes: where to return. */
    returnTo: z.string().nullable(),
  }),
  /** To one person: a notification was stored in their inbox (./notifications.ts). */
  z.object({ ...base, type: z.literal('notification'), notification: notificationSchema }),
  /** A poll opened, closed, was shown or hidden (to the class), or got answers (to staff): reload it. */
  z.object({
    ...base,
    type: z.literal('poll'),
    pollId: z.string(),
    title: z.string(),
    change: z.enum(POLL_CHANGES),
    byId,
  }),
  /** The class's recording started or stopped (`recording` null); `problem`: why a fault stopped it. */
  z.object({
    ...base,
    type: z.literal('recording'),
    recording: z
      .object({ recordingId: z.string(), state: z.literal('recording'), startedAt: z.number() })
      .nullable(),
    problem: z.string().nullable(),
  }),
] as const;

export const classNoticeSchema = z.discriminatedUnion('type', classNoticeSchemas);
export type ClassNotice = z.infer<typeof classNoticeSchema>;
export type ClassNoticeType = ClassNotice['type'];
/** A notice before the server gives it an id. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type ClassNoticeInput = DistributiveOmit<ClassNotice, 'id'>;
