// PollStorage on SQLite: `polls` (definition as JSON) and `poll_answers` keyed by (poll, question, user), so
// one answer per person per question is the table's rule. State changes are conditional updates: a timer and
// staff closing the same poll change it once. Answers are stored only while the poll is open, checked in the
// same transaction.
import type { PollDefinition } from '@tandem/shared';
import type { Db } from '../db.ts';
import {
  ANSWER_COLUMNS,
  type AnswerRow,
  flag,
  POLL_COLUMNS,
  type PollRow,
  toAnswer,
  toPoll,
} from '../types/pollRows.ts';
import type { NewPoll, PollAnswerRecord, PollRecord, PollStorage } from '../types/polls.ts';

export class SqlitePollStorage implements PollStorage {
  private readonly stmts;
  private readonly answerAll;

  constructor(db: Db) {
    const sql = db.sql;
    this.stmts = {
      insert: sql.prepare(
        `INSERT INTO polls (id, class_id, state, definition, created_by, created_at)
         VALUES (?, ?, 'draft', ?, ?, ?) RETURNING ${POLL_COLUMNS}`,
      ),
      get: sql.prepare(`SELECT ${POLL_COLUMNS} FROM polls WHERE id = ?`),
      list: sql.prepare(
        `SELECT ${POLL_COLUMNS} FROM polls WHERE class_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      ),
      ofSession: sql.prepare(`SELECT ${POLL_COLUMNS} FROM polls WHERE session_id = ? ORDER BY opened_at, id`),
      open: sql.prepare(`SELECT ${POLL_COLUMNS} FROM polls WHERE state = 'open'`),
      update: sql.prepare(`UPDATE polls SET definition = ? WHERE id = ? AND state = 'draft'`),
      launch: sql.prepare(
        `UPDATE polls SET state = 'open', opened_at = ?, session_id = ?, closes_at = ?
         WHERE id = ? AND state = 'draft'`,
      ),
      close: sql.prepare(`UPDATE polls SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'`),
      shown: sql.prepare('UPDATE polls SET shown = ? WHERE id = ?'),
      remove: sql.prepare(`DELETE FROM polls WHERE id = ? AND state = 'draft'`),
      state: sql.prepare('SELECT state FROM polls WHERE id = ?'),
      upsert: sql.prepare(
        `INSERT INTO poll_answers (poll_id, question, user_id, name, value, correct, marked, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
         ON CONFLICT (poll_id, question, user_id) DO UPDATE SET
           name = excluded.name, value = excluded.value, correct = excluded.correct, marked = NULL,
           updated_at = excluded.updated_at`,
      ),
      answers: sql.prepare(
        `SELECT ${ANSWER_COLUMNS} FROM poll_answers WHERE poll_id = ? ORDER BY question, updated_at, user_id`,
      ),
      mark: sql.prepare(
        'UPDATE poll_answers SET marked = ? WHERE poll_id = ? AND question = ? AND user_id = ?',
      ),
    };
    this.answerAll = sql.transaction(
      (pollId: string, answers: readonly Omit<PollAnswerRecord, 'pollId'>[]) => {
        const row = this.stmts.state.get(pollId) as { state: string } | undefined;
        if (row?.state !== 'open') return false;
        for (const a of answers) {
          this.stmts.upsert.run(
            pollId,
            a.question,
            a.userId,
            a.name,
            JSON.stringify(a.value),
            flag(a.correct),
            a.updatedAt,
          );
        }
        return true;
      },
    );
  }

  async create(poll: NewPoll): Promise<PollRecord> {
    const row = this.stmts.insert.get(
      poll.id,
      poll.classId,
      JSON.stringify(poll.definition),
      poll.createdBy,
      poll.createdAt,
    ) as PollRow;
    return toPoll(row);
  }

  async get(pollId: string): Promise<PollRecord | null> {
    const row = this.stmts.get.get(pollId) as PollRow | undefined;
    return row ? toPoll(row) : null;
  }

  async list(classId: string, limit: number): Promise<PollRecord[]> {
    return (this.stmts.list.all(classId, limit) as PollRow[]).map(toPoll);
  }

  async ofSession(sessionId: string): Promise<PollRecord[]> {
    return (this.stmts.ofSession.all(sessionId) as PollRow[]).map(toPoll);
  }

  async open(): Promise<PollRecord[]> {
    return (this.stmts.open.all() as PollRow[]).map(toPoll);
  }

  async updateDraft(pollId: string, definition: PollDefinition): Promise<boolean> {
    return this.stmts.update.run(JSON.stringify(definition), pollId).changes === 1;
  }

  async launch(pollId: string, at: number, sessionId: string | null, closesAt: number | null) {
    return this.stmts.launch.run(at, sessionId, closesAt, pollId).changes === 1;
  }

  async close(pollId: string, at: number): Promise<boolean> {
    return this.stmts.close.run(at, pollId).changes === 1;
  }

  async setShown(pollId: string, shown: boolean): Promise<boolean> {
    return this.stmts.shown.run(shown ? 1 : 0, pollId).changes === 1;
  }

  async removeDraft(pollId: string): Promise<boolean> {
    return this.stmts.remove.run(pollId).changes === 1;
  }

  async answer(pollId: string, answers: readonly Omit<PollAnswerRecord, 'pollId'>[]): Promise<boolean> {
    return this.answerAll(pollId, answers);
  }

  async answers(pollId: string): Promise<PollAnswerRecord[]> {
    return (this.stmts.answers.all(pollId) as AnswerRow[]).map(toAnswer);
  }

  async mark(pollId: string, question: number, userId: string, correct: boolean | null): Promise<boolean> {
    return this.stmts.mark.run(flag(correct), pollId, question, userId).changes === 1;
  }
}
