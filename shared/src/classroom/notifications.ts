// Notifications: what happened in a class that concerns one person (an announcement, an @mention, a reply to
// their thread, the class starting, a poll starting), kept per person and main class so that someone who was
// away sees it later in their inbox. The record, the REST bodies and the excerpt rule, shared by the server
// (which stores and pushes them) and the client (which lists them and shows browser notifications).
import { z } from 'zod';
import { idSchema } from '../ids.ts';

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
export const notificationLinkSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('chat'),
      /** The class the chat room belongs to (the main class or a breakout group). */
      classId: idSchema,
      room: idSchema,
      messageId: z.string().max(64),
    }),
    z.object({ type: z.literal('poll'), pollId: z.string().max(64) }),
    z.object({ type: z.literal('session'), sessionId: z.string().max(64) }),
  ])
  .nullable();
export type NotificationLink = z.infer<typeof notificationLinkSchema>;

export const notificationSchema = z.object({
  id: z.number().int().positive(),
  userId: z.string(),
  /** The main class (breakout groups notify within their main class). */
  classId: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string().max(NOTIFICATION_TITLE_MAX_CHARS),
  text: z.string().max(NOTIFICATION_TEXT_MAX_CHARS * 2),
  link: notificationLinkSchema,
  createdAt: z.number(),
  readAt: z.number().nullable(),
});
/** Named apart from the DOM's `Notification` (the browser notification the client may show for one). */
export type UserNotification = z.infer<typeof notificationSchema>;

/** `GET /api/classes/<id>/notifications`: newest first; `after` only newer ids, `before` only older ones. */
export const notificationsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(NOTIFICATIONS_PAGE_MAX).default(50),
});
export type NotificationsQuery = z.infer<typeof notificationsQuerySchema>;

export interface NotificationsReply {
  notifications: UserNotification[];
  unreadCount: number;
}

/** `POST /api/classes/<id>/notifications/read`: some of the caller's own, or all of them. */
export const markNotificationsBodySchema = z.union([
  z.strictObject({
    ids: z.array(z.number().int().positive()).min(1).max(NOTIFICATIONS_MAX_IDS),
  }),
  z.strictObject({ all: z.literal(true) }),
]);
export type MarkNotificationsBody = z.infer<typeof markNotificationsBodySchema>;

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
