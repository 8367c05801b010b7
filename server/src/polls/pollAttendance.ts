// A session's polls for its attendance report (pure): every poll's results as staff see them, and each
// person's part (questions answered, quiz points) in those that are not anonymous. An anonymous poll adds
// nothing to anyone's row, so the report cannot tell who answered it.
import type { PollView } from '@tandem/shared';
import type { PollAnswerRecord, PollRecord } from '../storage/types/polls.ts';
import { pointsOf } from './grading.ts';
import { pollView } from './pollView.ts';

export interface PollAttendance {
  views: PollView[];
  perPerson: Map<string, { answers: number; points: number }>;
}

export function pollAttendance(
  polls: readonly { poll: PollRecord; answers: readonly PollAnswerRecord[] }[],
): PollAttendance {
  const perPerson = new Map<string, { answers: number; points: number }>();
  for (const { poll, answers } of polls) {
    if (poll.definition.anonymous) continue;
    for (const a of answers) {
      const question = poll.definition.questions[a.question];
      if (!question) continue;
      const part = perPerson.get(a.userId) ?? { answers: 0, points: 0 };
      part.answers++;
      if (a.correct === true) part.points += pointsOf(poll.definition.kind, question);
      perPerson.set(a.userId, part);
    }
  }
  return { views: polls.map(({ poll, answers }) => pollView(poll, answers, { kind: 'staff' })), perPerson };
}
