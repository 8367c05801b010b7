// Attendance records in SQLite: the people of a session with their counters (messages, hands, speaking
// time) and their presence intervals (one open interval per person at a time, devices already merged).
import type { Db } from '../storage/db.ts';
import type { AttendancePersonRow, IntervalRow } from '../storage/types/attendance.ts';
import type { PresentPerson } from './PresenceTracker.ts';

export class AttendanceStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    const sql = db.sql;
    this.stmts = {
      upsertPerson: sql.prepare(
        `INSERT INTO attendance_people (session_id, user_id, name, role) VALUES (?, ?, ?, ?)
         ON CONFLICT (session_id, user_id) DO UPDATE SET name = excluded.name, role = excluded.role`,
      ),
      openInterval: sql.prepare(
        'SELECT id FROM attendance_intervals WHERE session_id = ? AND user_id = ? AND left_at IS NULL',
      ),
      insertInterval: sql.prepare(
        'INSERT INTO attendance_intervals (session_id, user_id, joined_at) VALUES (?, ?, ?)',
      ),
      closeUser: sql.prepare(
        'UPDATE attendance_intervals SET left_at = MAX(joined_at, ?) WHERE session_id = ? AND user_id = ? AND left_at IS NULL',
      ),
      closeAll: sql.prepare(
        'UPDATE attendance_intervals SET left_at = MAX(joined_at, ?) WHERE session_id = ? AND left_at IS NULL',
      ),
      closeEverywhere: sql.prepare(
        'UPDATE attendance_intervals SET left_at = MAX(joined_at, ?) WHERE left_at IS NULL',
      ),
      addMessage: sql.prepare(
        'UPDATE attendance_people SET messages = messages + 1 WHERE session_id = ? AND user_id = ?',
      ),
      addHand: sql.prepare(
        'UPDATE attendance_people SET hands_raised = hands_raised + 1 WHERE session_id = ? AND user_id = ?',
      ),
      addSpeaking: sql.prepare(
        'UPDATE attendance_people SET speaking_ms = speaking_ms + ? WHERE session_id = ? AND user_id = ?',
      ),
      people: sql.prepare(
        `SELECT user_id AS userId, name, role, messages, hands_raised AS handsRaised, speaking_ms AS speakingMs
         FROM attendance_people WHERE session_id = ?`,
      ),
      intervals: sql.prepare(
        `SELECT user_id AS userId, joined_at AS joinedAt, left_at AS leftAt FROM attendance_intervals
         WHERE session_id = ? ORDER BY user_id, joined_at`,
      ),
    };
  }

  /** Opens an interval unless one is open already (idempotent). */
  join(sessionId: string, person: PresentPerson, at: number): void {
    this.db.sql.transaction(() => {
      this.ensure(sessionId, person);
      if (!this.stmts.openInterval.get(sessionId, person.id)) {
        this.stmts.insertInterval.run(sessionId, person.id, at);
      }
    })();
  }

  leave(sessionId: string, userId: string, at: number): void {
    this.stmts.closeUser.run(at, sessionId, userId);
  }

  leaveAll(sessionId: string, at: number): void {
    this.stmts.closeAll.run(at, sessionId);
  }

  /** After a crash nobody is connected any more: intervals left open end at restart. */
  closeDangling(at: number): number {
    return this.stmts.closeEverywhere.run(at).changes;
  }

  countMessage(sessionId: string, person: PresentPerson): void {
    this.ensure(sessionId, person);
    this.stmts.addMessage.run(sessionId, person.id);
  }

  countHand(sessionId: string, person: PresentPerson): void {
    this.ensure(sessionId, person);
    this.stmts.addHand.run(sessionId, person.id);
  }

  addSpeaking(sessionId: string, person: PresentPerson, ms: number): void {
    if (ms <= 0) return;
    this.ensure(sessionId, person);
    this.stmts.addSpeaking.run(Math.round(ms), sessionId, person.id);
  }

  people(sessionId: string): AttendancePersonRow[] {
    return this.stmts.people.all(sessionId) as AttendancePersonRow[];
  }

  intervals(sessionId: string): IntervalRow[] {
    return this.stmts.intervals.all(sessionId) as IntervalRow[];
  }

  private ensure(sessionId: string, person: PresentPerson): void {
    this.stmts.upsertPerson.run(sessionId, person.id, person.name, person.role);
  }
}
