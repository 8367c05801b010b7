// NotificationStorage on SQLite: one row per notification in `notifications`, indexed by (user, class, id).
// A batch (an announcement to a whole class) is one transaction of prepared inserts; each recipient's inbox is
// then cut to the newest `keep` with one index walk per recipient.
import { NOTIFICATIONS_KEPT_PER_USER, type UserNotification } from '@tandem/shared';
import type { Db } from '../db.ts';
import type { NewNotification, NotificationPage, NotificationStorage } from '../types/notifications.ts';
import { type NotificationRow, toNotification } from '../types/rowMapping.ts';

const COLUMNS = 'id, class_id, user_id, kind, title, text, link, created_at, read_at';

export class SqliteNotificationStorage implements NotificationStorage {
  private readonly stmts;
  private readonly addAll;
  private readonly markSome;

  constructor(
    db: Db,
    private readonly keep: number = NOTIFICATIONS_KEPT_PER_USER,
  ) {
    const sql = db.sql;
    this.stmts = {
      insert: sql.prepare(
        `INSERT INTO notifications (class_id, user_id, kind, title, text, link, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      ),
      // The id of the oldest one kept; everything older of this person in this class goes.
      prune: sql.prepare(
        `DELETE FROM notifications WHERE user_id = ? AND class_id = ? AND id < (
           SELECT id FROM notifications WHERE user_id = ? AND class_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?
         )`,
      ),
      page: sql.prepare(
        `SELECT ${COLUMNS} FROM notifications WHERE user_id = ? AND class_id = ? AND id > ? AND id < ?
         ORDER BY id DESC LIMIT ?`,
      ),
      unread: sql.prepare(
        'SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND class_id = ? AND read_at IS NULL',
      ),
      markOne: sql.prepare(
        `UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND class_id = ? AND read_at IS NULL`,
      ),
      markAll: sql.prepare(
        'UPDATE notifications SET read_at = ? WHERE user_id = ? AND class_id = ? AND read_at IS NULL',
      ),
    };
    this.addAll = sql.transaction((classId: string, entries: readonly NewNotification[], at: number) => {
      const stored = entries.map(
        (e) =>
          this.stmts.insert.get(
            classId,
            e.userId,
            e.kind,
            e.title,
            e.text,
            e.link === null ? null : JSON.stringify(e.link),
            at,
          ) as NotificationRow,
      );
      for (const userId of new Set(entries.map((e) => e.userId))) {
        this.stmts.prune.run(userId, classId, userId, classId, this.keep - 1);
      }
      return stored.map(toNotification);
    });
    this.markSome = sql.transaction((classId: string, userId: string, ids: readonly number[], at: number) => {
      let marked = 0;
      for (const id of new Set(ids)) marked += this.stmts.markOne.run(at, id, userId, classId).changes;
      return marked;
    });
  }

  async add(classId: string, entries: readonly NewNotification[], at: number): Promise<UserNotification[]> {
    if (entries.length === 0) return [];
    return this.addAll(classId, entries, at);
  }

  private pageOf(classId: string, userId: string, page: NotificationPage): UserNotification[] {
    const rows = this.stmts.page.all(
      userId,
      classId,
      page.after ?? 0,
      page.before ?? Number.MAX_SAFE_INTEGER,
      page.limit,
    ) as NotificationRow[];
    return rows.map(toNotification);
  }

  async inbox(classId: string, userId: string, page: NotificationPage) {
    // Both read with nothing in between (better-sqlite3 is synchronous): one moment.
    const notifications = this.pageOf(classId, userId, page);
    return { notifications, unreadCount: this.unreadOf(classId, userId) };
  }

  async unreadCount(classId: string, userId: string): Promise<number> {
    return this.unreadOf(classId, userId);
  }

  private unreadOf(classId: string, userId: string): number {
    return (this.stmts.unread.get(userId, classId) as { n: number }).n;
  }

  async markRead(classId: string, userId: string, ids: readonly number[], at: number): Promise<number> {
    return this.markSome(classId, userId, ids, at);
  }

  async markAllRead(classId: string, userId: string, at: number): Promise<number> {
    return this.stmts.markAll.run(at, userId, classId).changes;
  }
}
