// Class notices: server -> client pushes about the live class, carried as collab stateless messages (see
// ../collabNotices.ts) on every open document connection of the class. A client with several documents open
// gets each notice once per connection: `id` lets it keep the first.
import * as v from 'valibot';
import { ROLES } from '../roles.ts';
import { SESSION_STATES } from './classes.ts';
import { notificationSchema } from './notifications.ts';
import { POLL_CHANGES } from './pollViews.ts';

const person = v.object({ id: v.string(), name: v.string() });
const hand = v.object({
  userId: v.string(),
  name: v.string(),
  role: v.picklist(ROLES),
  raisedAt: v.number(),
  groupId: v.nullable(v.string()),
});
const base = { id: v.string() };
/** Who caused a notice, when a person did: their own page does not tell them about it again. */
const byId = v.optional(v.nullable(v.string()));

export const classNoticeSchemas = [
  v.object({
    ...base,
    type: v.literal('session'),
    sessionId: v.string(),
    state: v.picklist(SESSION_STATES),
    byId,
  }),
  /** To staff: the hand queue changed. */
  v.object({ ...base, type: v.literal('hands'), queue: v.array(hand) }),
  /** To one person: their hand went up or down (`byName` when staff lowered it). */
  v.object({ ...base, type: v.literal('hand'), raised: v.boolean(), byName: v.nullable(v.string()) }),
  v.object({
    ...base,
    type: v.literal('announcement'),
    text: v.string(),
    byName: v.string(),
    at: v.number(),
    byId,
  }),
  v.object({ ...base, type: v.literal('locks'), codeLocked: v.boolean(), boardLocked: v.boolean() }),
  v.object({ ...base, type: v.literal('followMe'), leader: v.nullable(person) }),
  v.object({
    ...base,
    type: v.literal('spotlight'),
    user: v.nullable(person),
    documentName: v.nullable(v.string()),
    byId,
  }),
  /** Staff brought everyone to the stage (`by`), or released it (null). */
  v.object({ ...base, type: v.literal('stage'), by: v.nullable(person) }),
  /** `byId` lets the one who muted everyone skip the notification about their own action. */
  v.object({ ...base, type: v.literal('mutedAll'), byName: v.string(), byId: v.nullable(v.string()) }),
  /** To staff: someone was removed from the class or let back in (reload the class state). */
  v.object({ ...base, type: v.literal('removals') }),
  /** To one person: chat mute changed. */
  v.object({ ...base, type: v.literal('chatMuted'), muted: v.boolean(), until: v.nullable(v.number()) }),
  v.object({ ...base, type: v.literal('chatSettings'), room: v.string(), slowModeSeconds: v.number() }),
  /** Breakouts opened, changed or closed: reload the class state (a member's group is in it). */
  v.object({
    ...base,
    type: v.literal('breakouts'),
    state: v.picklist(['open', 'closed']),
    /** For members inside a group when it closes: where to return. */
    returnTo: v.nullable(v.string()),
  }),
  /** To one person: a notification was stored in their inbox (./notifications.ts). */
  v.object({ ...base, type: v.literal('notification'), notification: notificationSchema }),
  /** A poll opened, closed, was shown or hidden (to the class), or got answers (to staff): reload it. */
  v.object({
    ...base,
    type: v.literal('poll'),
    pollId: v.string(),
    title: v.string(),
    change: v.picklist(POLL_CHANGES),
    byId,
  }),
  /** The class's recording started or stopped (`recording` null); `problem`: why a fault stopped it. */
  v.object({
    ...base,
    type: v.literal('recording'),
    recording: v.nullable(
      v.object({ recordingId: v.string(), state: v.literal('recording'), startedAt: v.number() }),
    ),
    problem: v.nullable(v.string()),
  }),
] as const;

export const classNoticeSchema = v.variant('type', classNoticeSchemas);
export type ClassNotice = v.InferOutput<typeof classNoticeSchema>;
export type ClassNoticeType = ClassNotice['type'];
/** A notice before the server gives it an id. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type ClassNoticeInput = DistributiveOmit<ClassNotice, 'id'>;
