// What each caller sees of a poll (pure): students no quiz answers and no grades before it closes and no
// results until shown; staff names and scores, except in anonymous polls, where no view carries anyone's id and
// text answers are listed bare, sorted by text.
import type { PollDefinition } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { pollView } from '../../../server/src/polls/pollView.ts';
import type { PollAnswerRecord, PollRecord } from '../../../server/src/storage/types/polls.ts';

const definition: PollDefinition = {
  title: 'Quiz',
  kind: 'quiz',
  anonymous: false,
  timerSeconds: null,
  questions: [
    { type: 'single', prompt: 'p', options: ['a', 'b'], correct: [1], points: 2 },
    { type: 'code', prompt: 'c', expected: 'x = 1' },
  ],
};
const poll = (patch: Partial<PollRecord> = {}, def: Partial<PollDefinition> = {}): PollRecord => ({
  id: 'p1',
  classId: 'c1',
  sessionId: null,
  state: 'open',
  definition: { ...definition, ...def },
  createdBy: null,
  createdAt: 1,
  openedAt: 2,
  closedAt: null,
  closesAt: null,
  shown: false,
  ...patch,
});
const answers: PollAnswerRecord[] = [
  {
    pollId: 'p1',
    question: 0,
    userId: 'ana',
    name: 'Ana',
    value: { choices: [1] },
    correct: true,
    updatedAt: 3,
  },
  {
    pollId: 'p1',
    question: 1,
    userId: 'ana',
    name: 'Ana',
    value: { text: 'x=1' },
    correct: false,
    updatedAt: 3,
  },
  {
    pollId: 'p1',
    question: 0,
    userId: 'ben',
    name: 'Ben',
    value: { choices: [0] },
    correct: false,
    updatedAt: 4,
  },
];

describe('pollView', () => {
  it('gives students no answers, grades or results while a quiz is open and not shown', () => {
    const view = pollView(poll(), answers, { kind: 'person', userId: 'ana' });
    expect(view.questions).toEqual([
      { type: 'single', prompt: 'p', options: ['a', 'b'], points: 2 },
      { type: 'code', prompt: 'c' },
    ]);
    expect(view.mine?.map((a) => a?.correct)).toEqual([null, null]);
    expect(view.results).toBeNull();
  });

  it('gives students the answers and their grades once closed, results without names once shown', () => {
    const view = pollView(poll({ state: 'closed', shown: true }), answers, { kind: 'person', userId: 'ana' });
    expect(view.questions[0]).toMatchObject({ correct: [1] });
    expect(view.mine?.map((a) => a?.correct)).toEqual([true, false]);
    expect(view.results?.questions[0]).toMatchObject({ counts: [1, 1], correctCount: 1 });
    expect(view.results?.questions[1]?.answers).toEqual([
      { userId: null, name: null, text: 'x=1', correct: false },
    ]);
    expect(view.results?.scores).toBeNull();
  });

  it('gives staff names and scores', () => {
    const view = pollView(poll(), answers, { kind: 'staff' });
    expect(view.mine).toBeNull();
    expect(view.results?.scores).toEqual([
      { userId: 'ana', name: 'Ana', points: 2 },
      { userId: 'ben', name: 'Ben', points: 0 },
    ]);
    expect(view.results?.maxPoints).toBe(3);
  });

  it('ties nothing to anyone in an anonymous poll, for staff either, but lists the texts bare', () => {
    const anonymous: PollAnswerRecord[] = [
      ...answers,
      { ...answers[1]!, userId: 'ben', value: { text: 'x = 1' }, correct: true, updatedAt: 5 },
      { ...answers[1]!, userId: 'cy', value: { text: 'a = 0' }, correct: false, updatedAt: 6 },
    ].map((a) => ({ ...a, name: '' }));
    for (const viewer of [{ kind: 'staff' } as const, { kind: 'person', userId: 'ben' } as const]) {
      const view = pollView(poll({ state: 'closed', shown: true }, { anonymous: true }), anonymous, viewer);
      const { mine: _own, ...rest } = view;
      expect(JSON.stringify(rest)).not.toMatch(/"ana"|"ben"|"cy"|Ana|Ben/);
      expect(view.results?.responders).toBe(3);
      expect(view.results?.scores).toBeNull();
      // Sorted by text, not in the order they were given.
      expect(view.results?.questions[1]).toEqual({
        answered: 3,
        counts: null,
        correctCount: 1,
        answers: [
          { userId: null, name: null, text: 'a = 0', correct: false },
          { userId: null, name: null, text: 'x = 1', correct: true },
          { userId: null, name: null, text: 'x=1', correct: false },
        ],
      });
    }
  });

  it('lists equal anonymous texts in the same order whatever order they came in', () => {
    const same = (userId: string, correct: boolean | null, updatedAt: number): PollAnswerRecord => ({
      pollId: 'p1',
      question: 1,
      userId,
      name: '',
      value: { text: 'same' },
      correct,
      updatedAt,
    });
    const given = [same('ana', false, 1), same('ben', true, 2), same('cy', null, 3)];
    const listed = (list: PollAnswerRecord[]) =>
      pollView(poll({}, { anonymous: true }), list, { kind: 'staff' }).results?.questions[1]?.answers;
    expect(listed(given)).toEqual(listed([...given].reverse()));
    expect(listed(given)?.map((a) => a.correct)).toEqual([null, true, false]);
  });
});
