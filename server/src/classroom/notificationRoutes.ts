// REST for a person's own notifications (their inbox in the class, breakout groups included):
//   GET  /api/classes/<id>/notifications?after=&before=&limit=   newest first, with the unread count
//   POST /api/classes/<id>/notifications/read                    { ids: [...] } (at most 500) or { all: true }
// Only a person's class token reads or marks, and only their own: the store matches every id against the
// caller, so ids of someone else's are left as they are. Its own rate limit on top of the API's.
import { markNotificationsBodySchema, notificationsQuerySchema } from '@tandem/shared';
import type { Classroom } from './Classroom.ts';
import { KeyedLimiter } from './KeyedLimiter.ts';
import { requirePerson } from './principal.ts';
import type { Api, Call } from './routeKit.ts';

/** A page opens the inbox on load and on each reconnect and marks as people click: far below this. */
export const NOTIFICATION_CALLS_PER_SEC = 2;
export const NOTIFICATION_CALL_BURST = 20;

export function installNotificationRoutes(api: Api, room: Pick<Classroom, 'roots' | 'notifications'>): void {
  const { notifications } = room;
  const limiter = new KeyedLimiter(
    NOTIFICATION_CALLS_PER_SEC,
    NOTIFICATION_CALL_BURST,
    'too many notification requests; slow down',
  );
  /** The caller, limited, and the main class whose inbox they read (a group's pages read the main one's). */
  const own = async (call: Call) => {
    const classId = call.param('classId');
    const user = requirePerson(call.principal, classId);
    const root = await room.roots.rootOf(classId);
    limiter.take(`${root}:${user.id}`);
    return { root, userId: user.id };
  };

  api.on('GET', '/api/classes/:classId/notifications', async (call) => {
    const { root, userId } = await own(call);
    const query = call.query(notificationsQuerySchema);
    call.reply(200, await notifications.inbox(root, userId, query));
  });

  api.on('POST', '/api/classes/:classId/notifications/read', async (call) => {
    const { root, userId } = await own(call);
    const body = await call.body(markNotificationsBodySchema);
    call.reply(200, await notifications.markRead(root, userId, body));
  });
}
