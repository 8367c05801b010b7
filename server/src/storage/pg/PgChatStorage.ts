// ChatStorage on PostgreSQL: slow mode per room (cached: asked on every message), read markers, mutes, audit.
import type { AuditEntry, ChatStorage } from '../types/chat.ts';
import { first, type PgPool, rows } from './pool.ts';

export class PgChatStorage implements ChatStorage {
  private readonly slowModeCache = new Map<string, number>();

  constructor(
    private readonly pool: PgPool,
    private readonly now: () => number = Date.now,
  ) {}

  async slowModeSeconds(classId: string, room: string): Promise<number> {
    const key = `${classId}/${room}`;
    let seconds = this.slowModeCache.get(key);
    if (seconds === undefined) {
      const row = await first<{ s: number }>(
        this.pool,
        'SELECT slow_mode_seconds AS s FROM chat_rooms WHERE class_id = $1 AND room = $2',
        [classId, room],
      );
      seconds = row?.s ?? 0;
      this.slowModeCache.set(key, seconds);
    }
    return seconds;
  }

  async setSlowMode(classId: string, room: string, seconds: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO chat_rooms (class_id, room, slow_mode_seconds) VALUES ($1, $2, $3)
       ON CONFLICT (class_id, room) DO UPDATE SET slow_mode_seconds = excluded.slow_mode_seconds`,
      [classId, room, seconds],
    );
    this.slowModeCache.set(`${classId}/${room}`, seconds);
  }

  async readSeq(classId: string, room: string, userId: string): Promise<number> {
    const row = await first<{ s: number }>(
      this.pool,
      'SELECT read_seq AS s FROM chat_reads WHERE class_id = $1 AND room = $2 AND user_id = $3',
      [classId, room, userId],
    );
    return row?.s ?? 0;
  }

  async markRead(classId: string, room: string, userId: string, seq: number): Promise<number> {
    const row = await first<{ s: number }>(
      this.pool,
      `INSERT INTO chat_reads (class_id, room, user_id, read_seq, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (class_id, room, user_id) DO UPDATE SET
         read_seq = GREATEST(chat_reads.read_seq, excluded.read_seq), updated_at = excluded.updated_at
       RETURNING read_seq AS s`,
      [classId, room, userId, seq, this.now()],
    );
    return row!.s;
  }

  async mute(classId: string, userId: string, until: number | null, byId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO chat_mutes (class_id, user_id, until, by_id, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (class_id, user_id) DO UPDATE SET until = excluded.until, by_id = excluded.by_id,
         created_at = excluded.created_at`,
      [classId, userId, until, byId, this.now()],
    );
  }

  async unmute(classId: string, userId: string): Promise<void> {
    await this.pool.query('DELETE FROM chat_mutes WHERE class_id = $1 AND user_id = $2', [classId, userId]);
  }

  async muteState(classId: string, userId: string): Promise<{ muted: boolean; until: number | null }> {
    const row = await first<{ until: number | null }>(
      this.pool,
      'SELECT until FROM chat_mutes WHERE class_id = $1 AND user_id = $2',
      [classId, userId],
    );
    if (!row) return { muted: false, until: null };
    if (row.until !== null && row.until <= this.now()) return { muted: false, until: null };
    return { muted: true, until: row.until };
  }

  async audit(classId: string, room: string, entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO chat_audit (class_id, room, message_id, action, actor_id, actor_name, author_id, old_text, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        classId,
        room,
        entry.messageId,
        entry.action,
        entry.actorId,
        entry.actorName,
        entry.authorId,
        entry.oldText,
        this.now(),
      ],
    );
  }

  auditLog(classId: string, room: string, afterId: number, limit: number): Promise<AuditEntry[]> {
    return rows(
      this.pool,
      `SELECT id, message_id AS "messageId", action, actor_id AS "actorId", actor_name AS "actorName",
         author_id AS "authorId", old_text AS "oldText", at FROM chat_audit
       WHERE class_id = $1 AND room = $2 AND id > $3 ORDER BY id LIMIT $4`,
      [classId, room, afterId, limit],
    );
  }
}
