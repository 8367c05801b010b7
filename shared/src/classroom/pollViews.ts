// What the polls API replies: a poll as the caller may see it (a quiz's correct answers only for staff or after
// it closed), the caller's own answers, and the results (counts per option; text and code answers listed, with
// names only for staff of a poll that is not anonymous). An anonymous poll never carries a user id.
import type { PollAnswerValue, PollKind, PollQuestion, PollState } from './polls.ts';

export interface PollOwnAnswer {
  value: PollAnswerValue;
  /** Right or wrong in a quiz once it closed (null: not graded, or not yet marked by staff). */
  correct: boolean | null;
  updatedAt: number;
}

export interface ListedAnswer {
  /** Staff of a poll that is not anonymous; null for everyone else (and then listed sorted by text). */
  userId: string | null;
  name: string | null;
  text: string;
  /** Quiz answers as graded or marked (staff, or everyone after the quiz closed); null otherwise. */
  correct: boolean | null;
}

export interface QuestionResult {
  /** How many people answered this question. */
  answered: number;
  /** Choice questions: how many chose each option, in option order. */
  counts: number[] | null;
  /** Quizzes, for staff or after closing: how many answers are right. */
  correctCount: number | null;
  /** Text and code questions (anonymous polls too, without ids or names). */
  answers: ListedAnswer[] | null;
}

export interface PollScore {
  userId: string;
  name: string;
  points: number;
}

export interface PollResults {
  /** People who answered at least one question. */
  responders: number;
  questions: QuestionResult[];
  /** A quiz's total points. */
  maxPoints: number | null;
  /** Points per person: staff, quizzes that are not anonymous. */
  scores: PollScore[] | null;
}

export interface PollView {
  id: string;
  /** The main class. */
  classId: string;
  /** The session that was live when it launched. */
  sessionId: string | null;
  title: string;
  kind: PollKind;
  state: PollState;
  anonymous: boolean;
  timerSeconds: number | null;
  /** Students of an open quiz get no `correct` and no `expected`. */
  questions: PollQuestion[];
  createdAt: number;
  openedAt: number | null;
  closedAt: number | null;
  /** When the timer closes it. */
  closesAt: number | null;
  /** Staff showed the results to the class. */
  shown: boolean;
  /** The caller's own answers by question index (null for staff and platforms). */
  mine: (PollOwnAnswer | null)[] | null;
  /** Staff always; others once shown. */
  results: PollResults | null;
}

export interface PollsReply {
  polls: PollView[];
}
export interface PollReply {
  poll: PollView;
}

/** What happened to a poll, in the `poll` class notice (`updated`: a draft was created, edited or deleted). */
export const POLL_CHANGES = ['opened', 'closed', 'shown', 'hidden', 'answered', 'updated'] as const;
export type PollChange = (typeof POLL_CHANGES)[number];
