// Chat bookkeeping in SQLite beside the chat documents: per-room slow mode, per-person read markers,
// muted people, and the moderation audit (the text of edited and deleted messages, for staff only).
import type { Db } from '../storage/db.ts';
import type { AuditEntry } from '../storage/types/chat.ts';

export class ChatStore {
  private readonly stmts;
  private readonly slowModeCache = new Map<string, number>();

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    const sql = db.sql;
    this.stmts = {
      slowMode: sql.prepare('SELECT slow_mode_seconds AS s FROM chat_rooms WHERE class_id = ? AND room = ?'),
      setSlowMode: sql.prepare(
        `INSERT INTO chat_rooms (class_id, room, slow_mode_seconds) VALUES (?, ?, ?)
         ON CONFLICT (class_id, room) DO UPDATE SET slow_mode_seconds = excluded.slow_mode_seconds`,
      ),
      readSeq: sql.prepare(
        'SELECT read_seq AS s FROM chat_reads WHERE class_id = ? AND room = ? AND user_id = ?',
      ),
      setReadSeq: sql.prepare(
        `INSERT INTO chat_reads (class_id, room, user_id, read_seq, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (class_id, room, user_id) DO UPDATE SET read_seq = MAX(read_seq, excluded.read_seq),
           updated_at = excluded.updated_at`,
      ),
      mute: sql.prepare(
        `INSERT INTO chat_mutes (class_id, user_id, until, by_id, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (class_id, user_id) DO UPDATE SET until = excluded.until, by_id = excluded.by_id,
           created_at = excluded.created_at`,
      ),
      unmute: sql.prepare('DELETE FROM chat_mutes WHERE class_id = ? AND user_id = ?'),
      muted: sql.prepare('SELECT until FROM chat_mutes WHERE class_id = ? AND user_id = ?'),
      audit: sql.prepare(
        `INSERT INTO chat_audit (class_id, room, message_id, action, actor_id, actor_name, author_id, old_text, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      auditLog: sql.prepare(
        `SELECT id, message_id AS messageId, action, actor_id AS actorId, actor_name AS actorName,
           author_id AS authorId, old_text AS oldText, at FROM chat_audit
         WHERE class_id = ? AND room = ? AND id > ? ORDER BY id LIMIT ?`,
      ),
    };
  }

  slowModeSeconds(classId: string, room: string): number {
    const key = `${classId}/${room}`;
    let seconds = this.slowModeCache.get(key);
    if (seconds === undefined) {
      seconds = (this.stmts.slowMode.get(classId, room) as { s: number } | undefined)?.s ?? 0;
      this.slowModeCache.set(key, seconds);
    }
    return seconds;
  }

  setSlowMode(classId: string, room: string, seconds: number): void {
    this.stmts.setSlowMode.run(classId, room, seconds);
    this.slowModeCache.set(`${classId}/${room}`, seconds);
  }

  readSeq(classId: string, room: string, userId: string): number {
    return (this.stmts.readSeq.get(classId, room, userId) as { s: number } | undefined)?.s ?? 0;
  }

  /** Read markers only move forward. */
  markRead(classId: string, room: string, userId: string, seq: number): number {
    this.stmts.setReadSeq.run(classId, room, userId, seq, this.now());
    return this.readSeq(classId, room, userId);
  }

  mute(classId: string, userId: string, until: number | null, byId: string): void {
    this.stmts.mute.run(classId, userId, until, byId, this.now());
  }

  unmute(classId: string, userId: string): void {
    this.stmts.unmute.run(classId, userId);
  }

  /** Whether the person is muted now, and until when (null: until unmuted). */
  muteState(classId: string, userId: string): { muted: boolean; until: number | null } {
    const row = this.stmts.muted.get(classId, userId) as { until: number | null } | undefined;
    if (!row) return { muted: false, until: null };
    if (row.until !== null && row.until <= this.now()) return { muted: false, until: null };
    return { muted: true, until: row.until };
  }

  audit(classId: string, room: string, entry: Omit<AuditEntry, 'id' | 'at'>): void {
    this.stmts.audit.run(
      classId,
      room,
      entry.messageId,
      entry.action,
      entry.actorId,
      entry.actorName,
      entry.authorId,
      entry.oldText,
      this.now(),
    );
  }

  auditLog(classId: string, room: string, afterId: number, limit: number): AuditEntry[] {
    return this.stmts.auditLog.all(classId, room, afterId, limit) as AuditEntry[];
  }
}
