// The poll composer's form state to a definition (pure): a poll carries no correct answers, a quiz its
// correct options, points and (when given) the expected code; mistakes come back in words, with the question.
import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  fromDefinition,
  newDraft,
  newQuestion,
  toDefinition,
} from '../../../client/src/polls/composerState.ts';

describe('poll composer', () => {
  it('builds a poll without answers and a quiz with them', () => {
    const draft = {
      ...newDraft(),
      title: 'Loops',
      timerSeconds: '60',
      questions: [
        { ...newQuestion('single'), prompt: 'Which?', options: ['for', 'while'], correct: [1], points: 2 },
        { ...newQuestion('code'), prompt: 'Print', expected: 'print(1)' },
      ],
    };
    expect(toDefinition(draft)).toEqual({
      title: 'Loops',
      kind: 'poll',
      anonymous: false,
      timerSeconds: 60,
      questions: [
        { type: 'single', prompt: 'Which?', options: ['for', 'while'] },
        { type: 'code', prompt: 'Print' },
      ],
    });
    const quiz = checkDraft({ ...draft, kind: 'quiz' });
    expect(quiz.ok && quiz.definition.questions).toEqual([
      { type: 'single', prompt: 'Which?', options: ['for', 'while'], correct: [1], points: 2 },
      { type: 'code', prompt: 'Print', expected: 'print(1)', points: 1 },
    ]);
  });

  it('says what is wrong, and where', () => {
    expect(checkDraft(newDraft())).toEqual({ ok: false, problem: 'Title: must not be empty' });
    const noCorrect = checkDraft({
      ...newDraft(),
      title: 'Q',
      kind: 'quiz',
      questions: [{ ...newQuestion('single'), prompt: 'Which?', options: ['a', 'b'] }],
    });
    expect(noCorrect).toEqual({
      ok: false,
      problem: 'Question 1: a quiz question needs its correct option(s)',
    });
    const emptyOption = checkDraft({
      ...newDraft(),
      title: 'Q',
      questions: [{ ...newQuestion('single'), prompt: 'Which?', options: ['a', ''] }],
    });
    expect(emptyOption.ok).toBe(false);
    // Named as the form names it: the second option is "Option 2".
    expect(!emptyOption.ok && emptyOption.problem).toBe('Question 1: Option 2: must not be empty');
    const noPrompt = checkDraft({ ...newDraft(), title: 'Q' });
    expect(!noPrompt.ok && noPrompt.problem).toBe('Question 1: Question text: must not be empty');
  });

  it('puts a saved draft back in the form unchanged (editing a draft)', () => {
    const quiz = {
      title: 'Q',
      kind: 'quiz' as const,
      anonymous: true,
      timerSeconds: 90,
      questions: [
        { type: 'multiple' as const, prompt: 'p', options: ['a', 'b', 'c'], correct: [0, 2], points: 3 },
        { type: 'code' as const, prompt: 'c', expected: 'x = 1', points: 1 },
        { type: 'text' as const, prompt: 't', points: 2 },
      ],
    };
    expect(toDefinition(fromDefinition(quiz))).toEqual(quiz);
    const poll = {
      ...quiz,
      kind: 'poll' as const,
      timerSeconds: null,
      questions: [{ type: 'text' as const, prompt: 't' }],
    };
    expect(toDefinition(fromDefinition(poll))).toEqual(poll);
  });
});
