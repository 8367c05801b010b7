// Polls and quizzes: the definition staff write (questions of four types, options, a quiz's correct answers and
// points, a code question's expected answer, an optional timer, anonymity), the answers people send, and the
// limits on both as named constants. Validated by the server on every request and by the composer in the page.
import { z } from 'zod';

export const POLL_KINDS = ['poll', 'quiz'] as const;
export type PollKind = (typeof POLL_KINDS)[number];
export const POLL_STATES = ['draft', 'open', 'closed'] as const;
export type PollState = (typeof POLL_STATES)[number];
export const QUESTION_TYPES = ['single', 'multiple', 'text', 'code'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const POLL_TITLE_MAX_CHARS = 200;
export const POLL_PROMPT_MAX_CHARS = 1000;
export const POLL_OPTION_MAX_CHARS = 200;
export const POLL_MAX_QUESTIONS = 20;
export const POLL_MIN_OPTIONS = 2;
export const POLL_MAX_OPTIONS = 10;
export const POLL_TEXT_ANSWER_MAX_CHARS = 1000;
export const POLL_CODE_ANSWER_MAX_CHARS = 4000;
export const POLL_MAX_POINTS = 100;
export const POLL_MIN_TIMER_SECONDS = 10;
export const POLL_MAX_TIMER_SECONDS = 3600;
/**
 * A request body of the polls API (a definition, or answers) is at most this: the largest definition the limits
 * allow (20 questions of 1,000-character prompts, ten 200-character options, a 4,000-character expected answer)
 * fits in it even written in 3-byte characters.
 */
export const POLL_MAX_BODY_BYTES = 512 * 1024;

const text = (max: number) => z.string().trim().min(1).max(max);
const points = z.number().int().min(0).max(POLL_MAX_POINTS);
const optionIndex = z
  .number()
  .int()
  .min(0)
  .max(POLL_MAX_OPTIONS - 1);

const choiceQuestion = {
  prompt: text(POLL_PROMPT_MAX_CHARS),
  options: z.array(text(POLL_OPTION_MAX_CHARS)).min(POLL_MIN_OPTIONS).max(POLL_MAX_OPTIONS),
  /** A quiz's correct option indices (exactly one for a single choice); absent in a poll. */
  correct: z.array(optionIndex).max(POLL_MAX_OPTIONS).optional(),
  points: points.optional(),
};

export const pollQuestionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('single'), ...choiceQuestion }),
  z.strictObject({ type: z.literal('multiple'), ...choiceQuestion }),
  z.strictObject({ type: z.literal('text'), prompt: text(POLL_PROMPT_MAX_CHARS), points: points.optional() }),
  z.strictObject({
    type: z.literal('code'),
    prompt: text(POLL_PROMPT_MAX_CHARS),
    /** Compared after normalizing whitespace (server/src/polls/grading.ts); without it staff mark answers by hand. */
    expected: z.string().max(POLL_CODE_ANSWER_MAX_CHARS).optional(),
    points: points.optional(),
  }),
]);
export type PollQuestion = z.infer<typeof pollQuestionSchema>;

export const pollDefinitionSchema = z
  .strictObject({
    title: text(POLL_TITLE_MAX_CHARS),
    kind: z.enum(POLL_KINDS),
    questions: z.array(pollQuestionSchema).min(1).max(POLL_MAX_QUESTIONS),
    /** Closes by itself this long after launch; null: staff close it (or the session's end does). */
    timerSeconds: z.number().int().min(POLL_MIN_TIMER_SECONDS).max(POLL_MAX_TIMER_SECONDS).nullable(),
    /** Nobody (staff included) can see who answered what, over any API. */
    anonymous: z.boolean(),
  })
  .superRefine((poll, ctx) => {
    poll.questions.forEach((q, i) => {
      const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['questions', i], message });
      if (q.type !== 'single' && q.type !== 'multiple') {
        if (q.type === 'code' && q.expected !== undefined && poll.kind === 'poll')
          issue('an expected answer belongs to a quiz');
        return;
      }
      if (poll.kind === 'poll') {
        if (q.correct !== undefined) issue('correct answers belong to a quiz');
        return;
      }
      const correct = q.correct ?? [];
      if (correct.length === 0) issue('a quiz question needs its correct option(s)');
      if (q.type === 'single' && correct.length > 1) issue('a single-choice question has one correct option');
      if (new Set(correct).size !== correct.length) issue('correct options repeat');
      if (correct.some((c) => c >= q.options.length)) issue('a correct option is not one of the options');
    });
  });
export type PollDefinition = z.infer<typeof pollDefinitionSchema>;

/** One answer: option indices for choice questions (one for single choice), text for text and code. */
export const pollAnswerValueSchema = z.union([
  z.strictObject({ choices: z.array(optionIndex).min(1).max(POLL_MAX_OPTIONS) }),
  z.strictObject({ text: z.string().max(POLL_CODE_ANSWER_MAX_CHARS) }),
]);
export type PollAnswerValue = z.infer<typeof pollAnswerValueSchema>;

/** `PUT /api/polls/<id>/answers`: some or all questions (by index), each replacing the caller's earlier one. */
export const pollAnswersBodySchema = z.strictObject({
  answers: z
    .array(
      z.strictObject({
        question: z
          .number()
          .int()
          .min(0)
          .max(POLL_MAX_QUESTIONS - 1),
        value: pollAnswerValueSchema,
      }),
    )
    .min(1)
    .max(POLL_MAX_QUESTIONS),
});
export type PollAnswersBody = z.infer<typeof pollAnswersBodySchema>;

/** `POST /api/classes/<id>/polls`: a draft, or launched at once. */
export const createPollBodySchema = z.strictObject({
  definition: pollDefinitionSchema,
  launch: z.boolean().optional(),
});
export const updatePollBodySchema = z.strictObject({ definition: pollDefinitionSchema });
export const showPollBodySchema = z.strictObject({ shown: z.boolean() });
/** Staff mark a text or code answer of a (not anonymous) quiz right or wrong; null clears the mark. */
export const markPollAnswerBodySchema = z.strictObject({
  question: z
    .number()
    .int()
    .min(0)
    .max(POLL_MAX_QUESTIONS - 1),
  userId: z.string().min(1).max(64),
  correct: z.boolean().nullable(),
});
export type MarkPollAnswerBody = z.infer<typeof markPollAnswerBodySchema>;
