// Notifications: what happened in a class that concerns one person (an announcement, an @mention, a reply to
// their thread, the class starting, a poll starting), kept per person and main class so that someone who was
// away sees it later in their inbox. The record, the REST bodies and the excerpt rule, shared by the server
// (which stores and pushes them) and the client (which lists them and shows browser notifications).
import * as v from 'valibot';
import { idSchema } from '../ids.ts';
import { queryInt } from '../validation.ts';

export const NOTIFICATION_KINDS = [
  'announcement',
  'mention',
  'reply',
  'classStarted',
  'pollStarted',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Texts are excerpts: a chat message or announcement is cut to this many characters (code points). */
export const NOTIFICATION_TEXT_MAX_CHARS = 300;
export const NOTIFICATION_TITLE_MAX_CHARS = 120;
/** The newest this many are kept per person and class; older ones are pruned when new ones arrive. */
export const NOTIFICATIONS_KEPT_PER_USER = 500;
/** At most this many ids in one "mark read" request, and at most this many notifications in one page. */
export const NOTIFICATIONS_MAX_IDS = 500;
export const NOTIFICATIONS_PAGE_MAX = 200;

/** Where a notification leads: a chat message, a poll, a session; null when there is nothing to open. */
export const notificationLinkSchema = v.nullable(
  v.variant('type', [
    v.object({
      type: v.literal('chat'),
      /** The class the chat room belongs to (the main class or a breakout group). */
      classId: idSchema,
      room: idSchema,
      messageId: v.pipe(v.string(), v.maxLength(64)),
    }),
    v.object({ type: v.literal('poll'), pollId: v.pipe(v.string(), v.maxLength(64)) }),
    v.object({ type: v.literal('session'), sessionId: v.pipe(v.string(), v.maxLength(64)) }),
  ]),
);
export type NotificationLink = v.InferOutput<typeof notificationLinkSchema>;

export const notificationSchema = v.object({
  id: v.pipe(v.number(), v.safeInteger(), v.gtValue(0)),
  userId: v.string(),
  /** The main class (breakout groups notify within their main class). */
  classId: v.string(),
  kind: v.picklist(NOTIFICATION_KINDS),
  title: v.pipe(v.string(), v.maxLength(NOTIFICATION_TITLE_MAX_CHARS)),
  text: v.pipe(v.string(), v.maxLength(NOTIFICATION_TEXT_MAX_CHARS * 2)),
  link: notificationLinkSchema,
  createdAt: v.number(),
  readAt: v.nullable(v.number()),
});
/** Named apart from the DOM's `Notification` (the browser notification the client may show for one). */
export type UserNotification = v.InferOutput<typeof notificationSchema>;

/** `GET /api/classes/<id>/notifications`: newest first; `after` only newer ids, `before` only older ones. */
export const notificationsQuerySchema = v.object({
  after: v.optional(v.pipe(queryInt, v.minValue(0))),
  before: v.optional(v.pipe(queryInt, v.minValue(1))),
  limit: v.optional(v.pipe(queryInt, v.minValue(1), v.maxValue(NOTIFICATIONS_PAGE_MAX)), 50),
});
export type NotificationsQuery = v.InferOutput<typeof notificationsQuerySchema>;

export interface NotificationsReply {
  notifications: UserNotification[];
  unreadCount: number;
}

/** `POST /api/classes/<id>/notifications/read`: some of the caller's own, or all of them. */
export const markNotificationsBodySchema = v.union([
  v.strictObject({
    ids: v.pipe(
      v.array(v.pipe(v.number(), v.safeInteger(), v.gtValue(0))),
      v.minLength(1),
      v.maxLength(NOTIFICATIONS_MAX_IDS),
    ),
  }),
  v.strictObject({ all: v.literal(true) }),
]);
export type MarkNotificationsBody = v.InferOutput<typeof markNotificationsBodySchema>;

export interface MarkNotificationsReply {
  /** How many of the caller's unread notifications this marked. */
  marked: number;
  unreadCount: number;
}

/** The first `max` characters (code points) of a text on one line, with an ellipsis when cut. */
export function excerpt(text: string, max = NOTIFICATION_TEXT_MAX_CHARS): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
