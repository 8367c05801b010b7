// Checking an answer against its question (pure): whether it fits the question (option indices in range, one
// option for a single choice, text within its size), and whether a quiz answer is right. Code answers are
// compared after normalizing whitespace; nothing is ever run.
import {
  POLL_TEXT_ANSWER_MAX_CHARS,
  type PollAnswerValue,
  type PollDefinition,
  type PollKind,
  type PollQuestion,
} from '@tandem/shared';

/**
 * Code as compared: line endings unified, each line trimmed, runs of spaces and tabs collapsed to one, trailing
 * blank lines dropped.
 */
export function normalizeCode(code: string): string {
  const lines = code
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim().replace(/[ \t]+/g, ' '));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}

/** Why an answer does not fit its question, or null when it does. */
export function answerProblem(question: PollQuestion, value: PollAnswerValue): string | null {
  switch (question.type) {
    case 'single':
    case 'multiple': {
      if (!('choices' in value)) return 'a choice question takes { choices: [option indices] }';
      if (question.type === 'single' && value.choices.length !== 1) return 'choose exactly one option';
      if (new Set(value.choices).size !== value.choices.length) return 'an option is chosen twice';
      if (value.choices.some((c) => c >= question.options.length)) return 'no such option';
      return null;
    }
    case 'text':
      if (!('text' in value)) return 'a text question takes { text }';
      if (value.text.trim() === '') return 'the answer is empty';
      if ([...value.text].length > POLL_TEXT_ANSWER_MAX_CHARS)
        return `answers are at most ${POLL_TEXT_ANSWER_MAX_CHARS} characters`;
      return null;
    case 'code':
      if (!('text' in value)) return 'a code question takes { text }';
      return value.text.trim() === '' ? 'the answer is empty' : null;
    default: {
      const unreachable: never = question;
      return unreachable;
    }
  }
}

/** A quiz answer's grade: right or wrong, or null when staff mark it (text, code without an expected answer). */
export function grade(kind: PollKind, question: PollQuestion, value: PollAnswerValue): boolean | null {
  if (kind !== 'quiz') return null;
  switch (question.type) {
    case 'single':
    case 'multiple': {
      if (!('choices' in value)) return false;
      const correct = new Set(question.correct ?? []);
      return value.choices.length === correct.size && value.choices.every((c) => correct.has(c));
    }
    case 'code':
      if (question.expected === undefined || !('text' in value)) return null;
      return normalizeCode(value.text) === normalizeCode(question.expected);
    case 'text':
      return null;
    default: {
      const unreachable: never = question;
      return unreachable;
    }
  }
}

/** A question's worth in a quiz (1 unless set); polls score nothing. */
export function pointsOf(kind: PollKind, question: PollQuestion): number {
  return kind === 'quiz' ? (question.points ?? 1) : 0;
}

export function maxPoints(definition: PollDefinition): number | null {
  if (definition.kind !== 'quiz') return null;
  return definition.questions.reduce((sum, q) => sum + pointsOf('quiz', q), 0);
}

/** The question as people who may not see the answers get it: no correct options, no expected code. */
export function withoutAnswers(question: PollQuestion): PollQuestion {
  switch (question.type) {
    case 'single':
    case 'multiple': {
      const { correct: _correct, ...rest } = question;
      return rest;
    }
    case 'code': {
      const { expected: _expected, ...rest } = question;
      return rest;
    }
    case 'text':
      return question;
    default: {
      const unreachable: never = question;
      return unreachable;
    }
  }
}
