// The poll composer's form state and its conversion to a poll definition (pure, so it is tested without a
// DOM). Checked with the same schema as the server, so mistakes are shown before anything is sent.
import {
  firstIssue,
  type PollDefinition,
  type PollKind,
  pollDefinitionSchema,
  type QuestionType,
} from '@tandem/shared';
import * as v from 'valibot';

export interface QuestionDraft {
  type: QuestionType;
  prompt: string;
  options: string[];
  /** Correct option indices (quiz). */
  correct: number[];
  points: number;
  /** A code question's expected answer (quiz). */
  expected: string;
}

export interface ComposerDraft {
  title: string;
  kind: PollKind;
  anonymous: boolean;
  /** Empty: no timer. */
  timerSeconds: string;
  questions: QuestionDraft[];
}

export const newQuestion = (type: QuestionType = 'single'): QuestionDraft => ({
  type,
  prompt: '',
  options: type === 'single' || type === 'multiple' ? ['', ''] : [],
  correct: [],
  points: 1,
  expected: '',
});

export const newDraft = (): ComposerDraft => ({
  title: '',
  kind: 'poll',
  anonymous: false,
  timerSeconds: '',
  questions: [newQuestion()],
});

/** A saved definition back in the form (editing a draft). */
export function fromDefinition(definition: PollDefinition): ComposerDraft {
  return {
    title: definition.title,
    kind: definition.kind,
    anonymous: definition.anonymous,
    timerSeconds: definition.timerSeconds === null ? '' : String(definition.timerSeconds),
    questions: definition.questions.map((q) => ({
      ...newQuestion(q.type),
      prompt: q.prompt,
      points: q.points ?? 1,
      ...(q.type === 'single' || q.type === 'multiple'
        ? { options: q.options, correct: q.correct ?? [] }
        : {}),
      ...(q.type === 'code' ? { expected: q.expected ?? '' } : {}),
    })),
  };
}

export function toDefinition(draft: ComposerDraft): PollDefinition {
  const quiz = draft.kind === 'quiz';
  const timer = draft.timerSeconds.trim();
  return {
    title: draft.title,
    kind: draft.kind,
    anonymous: draft.anonymous,
    timerSeconds: timer === '' ? null : Number(timer),
    questions: draft.questions.map((q) => {
      const points = quiz ? { points: q.points } : {};
      switch (q.type) {
        case 'single':
        case 'multiple':
          return {
            type: q.type,
            prompt: q.prompt,
            options: q.options,
            ...(quiz ? { correct: q.correct } : {}),
            ...points,
          };
        case 'text':
          return { type: 'text', prompt: q.prompt, ...points };
        case 'code':
          return {
            type: 'code',
            prompt: q.prompt,
            ...(quiz && q.expected.trim() !== '' ? { expected: q.expected } : {}),
            ...points,
          };
        default: {
          const unreachable: never = q.type;
          return unreachable;
        }
      }
    }),
  };
}

/** The definition, or the first problem in words. */
export function checkDraft(
  draft: ComposerDraft,
): { ok: true; definition: PollDefinition } | { ok: false; problem: string } {
  const parsed = v.safeParse(pollDefinitionSchema, toDefinition(draft));
  if (parsed.success) return { ok: true, definition: parsed.output };
  const issue = firstIssue(parsed.issues);
  const where = issue.path;
  const question =
    where[0] === 'questions' && typeof where[1] === 'number' ? `Question ${where[1] + 1}: ` : '';
  const field = labelOf(where[0] === 'questions' ? where.slice(2) : where);
  return { ok: false, problem: `${question}${field ? `${field}: ` : ''}${issue.message}` };
}

/** The fields as the form names them ("Option 2", not the schema's "options 1"). */
const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  prompt: 'Question text',
  options: 'Options',
  correct: 'Correct options',
  points: 'Points',
  expected: 'Expected answer',
  timerSeconds: 'Timer',
};

function labelOf(path: readonly PropertyKey[]): string {
  const [field, index] = path;
  if (field === undefined) return '';
  if (field === 'options' && typeof index === 'number') return `Option ${index + 1}`;
  return FIELD_LABELS[String(field)] ?? path.map(String).join(' ');
}
