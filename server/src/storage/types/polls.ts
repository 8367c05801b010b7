// The poll storage contract: polls and quizzes of a main class (definition as JSON, draft -> open -> closed,
// the session they ran in, whether results are shown to the class) and one answer per person per question.
// Answers keep the user id even in anonymous polls (so each person answers once); the service never lets it
// out of the server for those.
import type { PollAnswerValue, PollDefinition, PollState } from '@tandem/shared';

export interface PollRecord {
  id: string;
  classId: string;
  sessionId: string | null;
  state: PollState;
  definition: PollDefinition;
  createdBy: string | null;
  createdAt: number;
  openedAt: number | null;
  closedAt: number | null;
  /** When the timer closes it (set at launch when the poll has a timer). */
  closesAt: number | null;
  shown: boolean;
}

export interface NewPoll {
  id: string;
  classId: string;
  definition: PollDefinition;
  createdBy: string | null;
  createdAt: number;
}

export interface PollAnswerRecord {
  pollId: string;
  question: number;
  userId: string;
  /** The name at the time of answering ('' in anonymous polls). */
  name: string;
  value: PollAnswerValue;
  /** Graded right or wrong (auto or by staff); null when not graded. */
  correct: boolean | null;
  updatedAt: number;
}

export interface PollStorage {
  create(poll: NewPoll): Promise<PollRecord>;
  get(pollId: string): Promise<PollRecord | null>;
  /** A class's polls, newest first (at most `limit`). */
  list(classId: string, limit: number): Promise<PollRecord[]>;
  /** Polls launched in a session, oldest first. */
  ofSession(sessionId: string): Promise<PollRecord[]>;
  /** Every open poll (timers to re-arm after a restart). */
  open(): Promise<PollRecord[]>;
  /** Replaces a draft's definition; false when the poll is not a draft. */
  updateDraft(pollId: string, definition: PollDefinition): Promise<boolean>;
  /** draft -> open; false when it was not a draft. */
  launch(pollId: string, at: number, sessionId: string | null, closesAt: number | null): Promise<boolean>;
  /** open -> closed; false when it was not open (closed already: a timer and staff may race). */
  close(pollId: string, at: number): Promise<boolean>;
  setShown(pollId: string, shown: boolean): Promise<boolean>;
  /** Deletes a draft (false when it is not one). */
  removeDraft(pollId: string): Promise<boolean>;
  /** Stores or replaces each answer (one per person per question), only while the poll is open. */
  answer(pollId: string, answers: readonly Omit<PollAnswerRecord, 'pollId'>[]): Promise<boolean>;
  answers(pollId: string): Promise<PollAnswerRecord[]>;
  /** Sets the staff's mark on one answer; false when there is no such answer. */
  mark(pollId: string, question: number, userId: string, correct: boolean | null): Promise<boolean>;
}
