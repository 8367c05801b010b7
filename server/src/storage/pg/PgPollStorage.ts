// PollStorage on PostgreSQL: the same tables and rules as on SQLite. Answers lock the poll's row (FOR SHARE)
// in their transaction, so an answer is never stored after the close that raced it committed.
import type { PollDefinition } from '@tandem/shared';
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
import { changes, first, type PgPool, rows, transaction } from './pool.ts';

export class PgPollStorage implements PollStorage {
  constructor(private readonly pool: PgPool) {}

  async create(poll: NewPoll): Promise<PollRecord> {
    const row = await first<PollRow>(
      this.pool,
      `INSERT INTO polls (id, class_id, state, definition, created_by, created_at)
       VALUES ($1, $2, 'draft', $3, $4, $5) RETURNING ${POLL_COLUMNS}`,
      [poll.id, poll.classId, JSON.stringify(poll.definition), poll.createdBy, poll.createdAt],
    );
    return toPoll(row!);
  }

  async get(pollId: string): Promise<PollRecord | null> {
    const row = await first<PollRow>(this.pool, `SELECT ${POLL_COLUMNS} FROM polls WHERE id = $1`, [pollId]);
    return row ? toPoll(row) : null;
  }

  async list(classId: string, limit: number): Promise<PollRecord[]> {
    const found = await rows<PollRow>(
      this.pool,
      `SELECT ${POLL_COLUMNS} FROM polls WHERE class_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [classId, limit],
    );
    return found.map(toPoll);
  }

  async ofSession(sessionId: string): Promise<PollRecord[]> {
    const found = await rows<PollRow>(
      this.pool,
      `SELECT ${POLL_COLUMNS} FROM polls WHERE session_id = $1 ORDER BY opened_at, id`,
      [sessionId],
    );
    return found.map(toPoll);
  }

  async open(): Promise<PollRecord[]> {
    return (await rows<PollRow>(this.pool, `SELECT ${POLL_COLUMNS} FROM polls WHERE state = 'open'`)).map(
      toPoll,
    );
  }

  async updateDraft(pollId: string, definition: PollDefinition): Promise<boolean> {
    const n = await changes(this.pool, `UPDATE polls SET definition = $1 WHERE id = $2 AND state = 'draft'`, [
      JSON.stringify(definition),
      pollId,
    ]);
    return n === 1;
  }

  async launch(pollId: string, at: number, sessionId: string | null, closesAt: number | null) {
    const n = await changes(
      this.pool,
      `UPDATE polls SET state = 'open', opened_at = $1, session_id = $2, closes_at = $3
       WHERE id = $4 AND state = 'draft'`,
      [at, sessionId, closesAt, pollId],
    );
    return n === 1;
  }

  async close(pollId: string, at: number): Promise<boolean> {
    const n = await changes(
      this.pool,
      `UPDATE polls SET state = 'closed', closed_at = $1 WHERE id = $2 AND state = 'open'`,
      [at, pollId],
    );
    return n === 1;
  }

  async setShown(pollId: string, shown: boolean): Promise<boolean> {
    return (
      (await changes(this.pool, 'UPDATE polls SET shown = $1 WHERE id = $2', [shown ? 1 : 0, pollId])) === 1
    );
  }

  async removeDraft(pollId: string): Promise<boolean> {
    return (await changes(this.pool, `DELETE FROM polls WHERE id = $1 AND state = 'draft'`, [pollId])) === 1;
  }

  async answer(pollId: string, answers: readonly Omit<PollAnswerRecord, 'pollId'>[]): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const poll = await first<{ state: string }>(client, 'SELECT state FROM polls WHERE id = $1 FOR SHARE', [
        pollId,
      ]);
      if (poll?.state !== 'open') return false;
      await client.query(
        `INSERT INTO poll_answers (poll_id, question, user_id, name, value, correct, marked, updated_at)
         SELECT $1, a.question, a.user_id, a.name, a.value, a.correct, NULL, a.updated_at
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[])
           AS a(question, user_id, name, value, correct, updated_at)
         ON CONFLICT (poll_id, question, user_id) DO UPDATE SET
           name = excluded.name, value = excluded.value, correct = excluded.correct, marked = NULL,
           updated_at = excluded.updated_at`,
        [
          pollId,
          answers.map((a) => a.question),
          answers.map((a) => a.userId),
          answers.map((a) => a.name),
          answers.map((a) => JSON.stringify(a.value)),
          answers.map((a) => flag(a.correct)),
          answers.map((a) => a.updatedAt),
        ],
      );
      return true;
    });
  }

  async answers(pollId: string): Promise<PollAnswerRecord[]> {
    const found = await rows<AnswerRow>(
      this.pool,
      `SELECT ${ANSWER_COLUMNS} FROM poll_answers WHERE poll_id = $1 ORDER BY question, updated_at, user_id`,
      [pollId],
    );
    return found.map(toAnswer);
  }

  async mark(pollId: string, question: number, userId: string, correct: boolean | null): Promise<boolean> {
    const n = await changes(
      this.pool,
      'UPDATE poll_answers SET marked = $1 WHERE poll_id = $2 AND question = $3 AND user_id = $4',
      [flag(correct), pollId, question, userId],
    );
    return n === 1;
  }
}
