// Poll rows to records, shared by both engines (same columns on SQLite and PostgreSQL; times as epoch
// milliseconds; definitions and answers as JSON text, booleans as 0/1 integers).
import type { PollAnswerValue, PollDefinition, PollState } from '@tandem/shared';
import type { PollAnswerRecord, PollRecord } from './polls.ts';

export const POLL_COLUMNS =
  'id, class_id, session_id, state, definition, created_by, created_at, opened_at, closed_at, closes_at, shown';
export const ANSWER_COLUMNS = 'poll_id, question, user_id, name, value, correct, marked, updated_at';

export interface PollRow {
  id: string;
  class_id: string;
  session_id: string | null;
  state: PollState;
  definition: string;
  created_by: string | null;
  created_at: number;
  opened_at: number | null;
  closed_at: number | null;
  closes_at: number | null;
  shown: number;
}

export interface AnswerRow {
  poll_id: string;
  question: number;
  user_id: string;
  name: string;
  value: string;
  /** Automatic grade: 1, 0 or null. */
  correct: number | null;
  /** Staff's mark, which wins over the automatic grade: 1, 0 or null. */
  marked: number | null;
  updated_at: number;
}

const bool = (v: number | null) => (v === null ? null : v === 1);

export const toPoll = (r: PollRow): PollRecord => ({
  id: r.id,
  classId: r.class_id,
  sessionId: r.session_id,
  state: r.state,
  definition: JSON.parse(r.definition) as PollDefinition,
  createdBy: r.created_by,
  createdAt: r.created_at,
  openedAt: r.opened_at,
  closedAt: r.closed_at,
  closesAt: r.closes_at,
  shown: r.shown === 1,
});

export const toAnswer = (r: AnswerRow): PollAnswerRecord => ({
  pollId: r.poll_id,
  question: r.question,
  userId: r.user_id,
  name: r.name,
  value: JSON.parse(r.value) as PollAnswerValue,
  correct: r.marked !== null ? bool(r.marked) : bool(r.correct),
  updatedAt: r.updated_at,
});

/** 1, 0 or null for a column. */
export const flag = (v: boolean | null) => (v === null ? null : v ? 1 : 0);
