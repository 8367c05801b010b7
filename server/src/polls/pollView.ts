// A stored poll and its answers as one caller may see them (pure). Staff see the results, names (unless the poll
// is anonymous) and a quiz's answers; students and observers see the questions without a quiz's answers until
// it closes, their own answers, and the results only once staff show them, without names. An anonymous poll's
// view carries no user id or name of anyone, staff included: its text and code answers are listed bare, sorted
// by text so their order does not follow the order people answered in.
import type {
  ListedAnswer,
  PollOwnAnswer,
  PollResults,
  PollScore,
  PollView,
  QuestionResult,
} from '@tandem/shared';
import { isStaffPrincipal, type Principal } from '../classroom/principal.ts';
import type { PollAnswerRecord, PollRecord } from '../storage/types/polls.ts';
import { maxPoints, pointsOf, withoutAnswers } from './grading.ts';

export type PollViewer = { kind: 'staff' } | { kind: 'person'; userId: string };

/** Staff and course platforms see everything a poll may show; anyone else sees it as a person. */
export function viewerOf(principal: Principal): PollViewer {
  return principal.kind === 'user' && !isStaffPrincipal(principal)
    ? { kind: 'person', userId: principal.user.id }
    : { kind: 'staff' };
}

export function pollView(
  poll: PollRecord,
  answers: readonly PollAnswerRecord[],
  viewer: PollViewer,
): PollView {
  const staff = viewer.kind === 'staff';
  const { definition } = poll;
  const closed = poll.state === 'closed';
  const revealAnswers = staff || closed;
  return {
    id: poll.id,
    classId: poll.classId,
    sessionId: poll.sessionId,
    title: definition.title,
    kind: definition.kind,
    state: poll.state,
    anonymous: definition.anonymous,
    timerSeconds: definition.timerSeconds,
    questions: revealAnswers ? definition.questions : definition.questions.map(withoutAnswers),
    createdAt: poll.createdAt,
    openedAt: poll.openedAt,
    closedAt: poll.closedAt,
    closesAt: poll.state === 'open' ? poll.closesAt : null,
    shown: poll.shown,
    mine: viewer.kind === 'person' ? ownAnswers(poll, answers, viewer.userId, closed) : null,
    results: staff || poll.shown ? pollResults(poll, answers, staff) : null,
  };
}

function ownAnswers(
  poll: PollRecord,
  answers: readonly PollAnswerRecord[],
  userId: string,
  closed: boolean,
): (PollOwnAnswer | null)[] {
  const mine: (PollOwnAnswer | null)[] = poll.definition.questions.map(() => null);
  for (const a of answers) {
    if (a.userId !== userId || a.question >= mine.length) continue;
    mine[a.question] = { value: a.value, correct: closed ? a.correct : null, updatedAt: a.updatedAt };
  }
  return mine;
}

export function pollResults(
  poll: PollRecord,
  answers: readonly PollAnswerRecord[],
  staff: boolean,
): PollResults {
  const { definition } = poll;
  const quiz = definition.kind === 'quiz';
  const showGrades = quiz && (staff || poll.state === 'closed');
  const named = staff && !definition.anonymous;
  const questions: QuestionResult[] = definition.questions.map((q) => ({
    answered: 0,
    counts: q.type === 'single' || q.type === 'multiple' ? q.options.map(() => 0) : null,
    correctCount: showGrades ? 0 : null,
    answers: q.type === 'text' || q.type === 'code' ? [] : null,
  }));
  const people = new Set<string>();
  const points = new Map<string, PollScore>();
  for (const a of answers) {
    const result = questions[a.question];
    const question = definition.questions[a.question];
    if (!result || !question) continue;
    people.add(a.userId);
    result.answered++;
    if (result.counts && 'choices' in a.value) {
      for (const c of a.value.choices)
        if (c < result.counts.length) result.counts[c] = (result.counts[c] ?? 0) + 1;
    }
    if (result.correctCount !== null && a.correct === true) result.correctCount++;
    if (result.answers && 'text' in a.value) {
      const listed: ListedAnswer = {
        userId: named ? a.userId : null,
        name: named ? a.name : null,
        text: a.value.text,
        correct: showGrades ? a.correct : null,
      };
      result.answers.push(listed);
    }
    if (quiz && named) {
      const score = points.get(a.userId) ?? { userId: a.userId, name: a.name, points: 0 };
      if (a.correct === true) score.points += pointsOf('quiz', question);
      points.set(a.userId, score);
    }
  }
  // Listed without names, answers would still line up with the order people answered in: sort them by text
  // (and equal texts by grade, so nothing of the stored order shows through).
  if (!named) for (const r of questions) r.answers?.sort(byTextThenGrade);
  return {
    responders: people.size,
    questions,
    maxPoints: maxPoints(definition),
    scores: quiz && named ? [...points.values()].sort((a, b) => a.name.localeCompare(b.name)) : null,
  };
}

const gradeRank = (c: boolean | null) => (c === null ? 0 : c ? 1 : 2);
function byTextThenGrade(x: ListedAnswer, y: ListedAnswer): number {
  const byText = x.text.localeCompare(y.text) || (x.text < y.text ? -1 : x.text > y.text ? 1 : 0);
  return byText || gradeRank(x.correct) - gradeRank(y.correct);
}
