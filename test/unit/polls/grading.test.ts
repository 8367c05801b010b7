// Answer checks and grades (pure): code compared after normalizing whitespace, choice grades as exact sets,
// answers that do not fit their question refused, and a quiz's answers removed from what students get.
import type { PollQuestion } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { answerProblem, grade, normalizeCode, withoutAnswers } from '../../../server/src/polls/grading.ts';

const single: PollQuestion = { type: 'single', prompt: 'p', options: ['a', 'b', 'c'], correct: [1] };
const multiple: PollQuestion = { type: 'multiple', prompt: 'p', options: ['a', 'b', 'c'], correct: [0, 2] };
const code: PollQuestion = { type: 'code', prompt: 'p', expected: 'if x:\n    return  1\n' };

describe('normalizeCode', () => {
  it.each([
    ['a  =   1', 'a = 1'],
    ['  x\t\ty  ', 'x y'],
    ['a\r\nb\r\n\r\n\n', 'a\nb'],
    ['a\n\n\nb', 'a\n\n\nb'],
    ['', ''],
  ])('%j -> %j', (input, output) => {
    expect(normalizeCode(input)).toBe(output);
  });
});

describe('grade', () => {
  it('grades choices as exact sets and code after normalizing whitespace', () => {
    expect(grade('quiz', single, { choices: [1] })).toBe(true);
    expect(grade('quiz', single, { choices: [0] })).toBe(false);
    expect(grade('quiz', multiple, { choices: [2, 0] })).toBe(true);
    expect(grade('quiz', multiple, { choices: [0] })).toBe(false);
    expect(grade('quiz', multiple, { choices: [0, 1, 2] })).toBe(false);
    expect(grade('quiz', code, { text: 'if x:\r\n\treturn 1   \n\n' })).toBe(true);
    expect(grade('quiz', code, { text: 'if x:\n  return 2' })).toBe(false);
  });

  it('leaves text, code without an expected answer and every poll answer to staff (null)', () => {
    expect(grade('quiz', { type: 'text', prompt: 'p' }, { text: 'x' })).toBeNull();
    expect(grade('quiz', { type: 'code', prompt: 'p' }, { text: 'x' })).toBeNull();
    expect(grade('poll', single, { choices: [1] })).toBeNull();
  });
});

describe('answerProblem', () => {
  it('refuses answers that do not fit the question', () => {
    expect(answerProblem(single, { choices: [0] })).toBeNull();
    expect(answerProblem(single, { choices: [0, 1] })).toMatch(/exactly one/);
    expect(answerProblem(multiple, { choices: [0, 0] })).toMatch(/twice/);
    expect(answerProblem(multiple, { choices: [3] })).toMatch(/no such option/);
    expect(answerProblem(single, { text: 'a' })).toMatch(/choices/);
    expect(answerProblem({ type: 'text', prompt: 'p' }, { text: '   ' })).toMatch(/empty/);
    expect(answerProblem({ type: 'text', prompt: 'p' }, { text: 'x'.repeat(1001) })).toMatch(/at most/);
    expect(answerProblem(code, { choices: [0] })).toMatch(/text/);
  });
});

describe('withoutAnswers', () => {
  it("drops a quiz's correct options and expected code", () => {
    expect(withoutAnswers(single)).toEqual({ type: 'single', prompt: 'p', options: ['a', 'b', 'c'] });
    expect(withoutAnswers(code)).toEqual({ type: 'code', prompt: 'p' });
  });
});
