// AttendanceStorage on PostgreSQL: people of a session with their counters, and presence intervals.
import type {
  AttendancePersonRow,
  AttendanceStorage,
  AttendeeRef,
  IntervalRow,
} from '../types/attendance.ts';
import { changes, type PgPool, type Queryable, rows, transaction } from './pool.ts';

const UPSERT_PERSON = `INSERT INTO attendance_people (session_id, user_id, name, role) VALUES ($1, $2, $3, $4)
  ON CONFLICT (session_id, user_id) DO UPDATE SET name = excluded.name, role = excluded.role`;

export class PgAttendanceStorage implements AttendanceStorage {
  constructor(private readonly pool: PgPool) {}

  async join(sessionId: string, person: AttendeeRef, at: number): Promise<void> {
    await transaction(this.pool, async (client) => {
      // The person's row first: its lock serialises two joins of one person, so one interval opens.
      await this.ensure(client, sessionId, person);
      await client.query(
        `INSERT INTO attendance_intervals (session_id, user_id, joined_at)
         SELECT $1, $2, $3 WHERE NOT EXISTS (
           SELECT 1 FROM attendance_intervals WHERE session_id = $1 AND user_id = $2 AND left_at IS NULL)`,
        [sessionId, person.id, at],
      );
    });
  }

  async leave(sessionId: string, userId: string, at: number): Promise<void> {
    await this.pool.query(
      `UPDATE attendance_intervals SET left_at = GREATEST(joined_at, $1)
       WHERE session_id = $2 AND user_id = $3 AND left_at IS NULL`,
      [at, sessionId, userId],
    );
  }

  async leaveAll(sessionId: string, at: number): Promise<void> {
    await this.pool.query(
      'UPDATE attendance_intervals SET left_at = GREATEST(joined_at, $1) WHERE session_id = $2 AND left_at IS NULL',
      [at, sessionId],
    );
  }

  closeDangling(at: number): Promise<number> {
    return changes(
      this.pool,
      'UPDATE attendance_intervals SET left_at = GREATEST(joined_at, $1) WHERE left_at IS NULL',
      [at],
    );
  }

  countMessage(sessionId: string, person: AttendeeRef): Promise<void> {
    return this.add(sessionId, person, { messages: 1, handsRaised: 0, speakingMs: 0 });
  }

  countHand(sessionId: string, person: AttendeeRef): Promise<void> {
    return this.add(sessionId, person, { messages: 0, handsRaised: 1, speakingMs: 0 });
  }

  async addSpeaking(sessionId: string, person: AttendeeRef, ms: number): Promise<void> {
    if (ms <= 0) return;
    await this.add(sessionId, person, { messages: 0, handsRaised: 0, speakingMs: Math.round(ms) });
  }

  people(sessionId: string): Promise<AttendancePersonRow[]> {
    return rows(
      this.pool,
      `SELECT user_id AS "userId", name, role, messages, hands_raised AS "handsRaised",
         speaking_ms AS "speakingMs" FROM attendance_people WHERE session_id = $1`,
      [sessionId],
    );
  }

  intervals(sessionId: string): Promise<IntervalRow[]> {
    return rows(
      this.pool,
      `SELECT user_id AS "userId", joined_at AS "joinedAt", left_at AS "leftAt" FROM attendance_intervals
       WHERE session_id = $1 ORDER BY user_id COLLATE "C", joined_at`,
      [sessionId],
    );
  }

  /** Upserts the person and adds to their counters in one statement. */
  private async add(
    sessionId: string,
    person: AttendeeRef,
    by: { messages: number; handsRaised: number; speakingMs: number },
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO attendance_people (session_id, user_id, name, role, messages, hands_raised, speaking_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (session_id, user_id) DO UPDATE SET name = excluded.name, role = excluded.role,
         messages = attendance_people.messages + excluded.messages,
         hands_raised = attendance_people.hands_raised + excluded.hands_raised,
         speaking_ms = attendance_people.speaking_ms + excluded.speaking_ms`,
      [sessionId, person.id, person.name, person.role, by.messages, by.handsRaised, by.speakingMs],
    );
  }

  private async ensure(db: Queryable, sessionId: string, person: AttendeeRef): Promise<void> {
    await db.query(UPSERT_PERSON, [sessionId, person.id, person.name, person.role]);
  }
}
