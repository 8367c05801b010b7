// NotificationStorage on PostgreSQL: one row per notification, indexed by (user, class, id). A batch (an
// announcement to a whole class) is one multi-row INSERT from arrays and one DELETE that cuts every
// recipient's inbox to the newest `keep`, both in one transaction.
import { NOTIFICATIONS_KEPT_PER_USER, type UserNotification } from '@tandem/shared';
import type { NewNotification, NotificationPage, NotificationStorage } from '../types/notifications.ts';
import { type NotificationRow, toNotification } from '../types/rowMapping.ts';
import { changes, first, type PgPool, rows, transaction } from './pool.ts';

const COLUMNS = 'id, class_id, user_id, kind, title, text, link, created_at, read_at';

export class PgNotificationStorage implements NotificationStorage {
  constructor(
    private readonly pool: PgPool,
    private readonly keep: number = NOTIFICATIONS_KEPT_PER_USER,
  ) {}

  async add(classId: string, entries: readonly NewNotification[], at: number): Promise<UserNotification[]> {
    if (entries.length === 0) return [];
    return transaction(this.pool, async (client) => {
      // WITH ORDINALITY keeps the input order, so the returned rows line up with `entries`.
      const stored = await rows<NotificationRow>(
        client,
        `INSERT INTO notifications (class_id, user_id, kind, title, text, link, created_at)
         SELECT $1, e.user_id, e.kind, e.title, e.text, e.link, $7
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           WITH ORDINALITY AS e(user_id, kind, title, text, link, n)
         ORDER BY e.n
         RETURNING ${COLUMNS}`,
        [
          classId,
          entries.map((e) => e.userId),
          entries.map((e) => e.kind),
          entries.map((e) => e.title),
          entries.map((e) => e.text),
          entries.map((e) => (e.link === null ? null : JSON.stringify(e.link))),
          at,
        ],
      );
      await client.query(
        `DELETE FROM notifications n USING (
           SELECT u.user_id, cut.id FROM unnest($2::text[]) AS u(user_id)
           CROSS JOIN LATERAL (
             SELECT id FROM notifications WHERE user_id = u.user_id AND class_id = $1
             ORDER BY id DESC OFFSET $3 LIMIT 1
           ) cut
         ) c
         WHERE n.user_id = c.user_id AND n.class_id = $1 AND n.id < c.id`,
        [classId, [...new Set(entries.map((e) => e.userId))], this.keep - 1],
      );
      // Identity values follow the insert order; sort by id in case RETURNING did not.
      return stored.sort((a, b) => a.id - b.id).map(toNotification);
    });
  }

  async inbox(classId: string, userId: string, page: NotificationPage) {
    // One statement, one snapshot: a notification committed meanwhile is in both or in neither.
    const found = await rows<{ unread: number } & Partial<NotificationRow>>(
      this.pool,
      `SELECT u.unread, p.* FROM (
         SELECT COUNT(*)::int AS unread FROM notifications WHERE user_id = $1 AND class_id = $2 AND read_at IS NULL
       ) u LEFT JOIN LATERAL (
         SELECT ${COLUMNS} FROM notifications WHERE user_id = $1 AND class_id = $2 AND id > $3 AND id < $4
         ORDER BY id DESC LIMIT $5
       ) p ON true ORDER BY p.id DESC`,
      [userId, classId, page.after ?? 0, page.before ?? Number.MAX_SAFE_INTEGER, page.limit],
    );
    return {
      notifications: found.filter((r) => r.id != null).map((r) => toNotification(r as NotificationRow)),
      unreadCount: found[0]?.unread ?? 0,
    };
  }

  async unreadCount(classId: string, userId: string): Promise<number> {
    const row = await first<{ n: number }>(
      this.pool,
      'SELECT COUNT(*)::int AS n FROM notifications WHERE user_id = $1 AND class_id = $2 AND read_at IS NULL',
      [userId, classId],
    );
    return row?.n ?? 0;
  }

  markRead(classId: string, userId: string, ids: readonly number[], at: number): Promise<number> {
    return changes(
      this.pool,
      `UPDATE notifications SET read_at = $1
       WHERE id = ANY($2::bigint[]) AND user_id = $3 AND class_id = $4 AND read_at IS NULL`,
      [at, [...new Set(ids)], userId, classId],
    );
  }

  markAllRead(classId: string, userId: string, at: number): Promise<number> {
    return changes(
      this.pool,
      'UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND class_id = $3 AND read_at IS NULL',
      [at, userId, classId],
    );
  }
}
