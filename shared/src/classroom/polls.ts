// Polls and quizzes: the definition staff write (questions of four types, options, a quiz's correct answers and
// points, a code question's expected answer, an optional timer, anonymity), the answers people send, and the
// limits on both as named constants. Validated by the server on every request and by the composer in the page.
import * as v from 'valibot';

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

const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));
const points = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(POLL_MAX_POINTS));
const optionIndex = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(POLL_MAX_OPTIONS - 1));

const choiceQuestion = {
  prompt: text(POLL_PROMPT_MAX_CHARS),
  options: v.pipe(
    v.array(text(POLL_OPTION_MAX_CHARS)),
    v.minLength(POLL_MIN_OPTIONS),
    v.maxLength(POLL_MAX_OPTIONS),
  ),
  /** A quiz's correct option indices (exactly one for a single choice); absent in a poll. */
  correct: v.optional(v.pipe(v.array(optionIndex), v.maxLength(POLL_MAX_OPTIONS))),
  points: v.optional(points),
};

export const pollQuestionSchema = v.variant('type', [
  v.strictObject({ type: v.literal('single'), ...choiceQuestion }),
  v.strictObject({ type: v.literal('multiple'), ...choiceQuestion }),
  v.strictObject({
    type: v.literal('text'),
    prompt: text(POLL_PROMPT_MAX_CHARS),
    points: v.optional(points),
  }),
  v.strictObject({
    type: v.literal('code'),
    prompt: text(POLL_PROMPT_MAX_CHARS),
    /** Compared after normalizing whitespace (server/src/polls/grading.ts); without it staff mark answers by hand. */
    expected: v.optional(v.pipe(v.string(), v.maxLength(POLL_CODE_ANSWER_MAX_CHARS))),
    points: v.optional(points),
  }),
]);
export type PollQuestion = v.InferOutput<typeof pollQuestionSchema>;

export const pollDefinitionSchema = v.pipe(
  v.strictObject({
    title: text(POLL_TITLE_MAX_CHARS),
    kind: v.picklist(POLL_KINDS),
    questions: v.pipe(v.array(pollQuestionSchema), v.minLength(1), v.maxLength(POLL_MAX_QUESTIONS)),
    /** Closes by itself this long after launch; null: staff close it (or the session's end does). */
    timerSeconds: v.nullable(
      v.pipe(
        v.number(),
        v.safeInteger(),
        v.minValue(POLL_MIN_TIMER_SECONDS),
        v.maxValue(POLL_MAX_TIMER_SECONDS),
      ),
    ),
    /** Nobody (staff included) can see who answered what, over any API. */
    anonymous: v.boolean(),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const poll = dataset.value;
    poll.questions.forEach((q, i) => {
      // Reported at `questions.<i>`.
      const issue = (message: string) =>
        addIssue({
          message,
          path: [
            { type: 'object', origin: 'value', input: poll, key: 'questions', value: poll.questions },
            { type: 'array', origin: 'value', input: poll.questions, key: i, value: q },
          ],
        });
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
  }),
);
export type PollDefinition = v.InferOutput<typeof pollDefinitionSchema>;

/** One answer: option indices for choice questions (one for single choice), text for text and code. */
export const pollAnswerValueSchema = v.union([
  v.strictObject({ choices: v.pipe(v.array(optionIndex), v.minLength(1), v.maxLength(POLL_MAX_OPTIONS)) }),
  v.strictObject({ text: v.pipe(v.string(), v.maxLength(POLL_CODE_ANSWER_MAX_CHARS)) }),
]);
export type PollAnswerValue = v.InferOutput<typeof pollAnswerValueSchema>;

const questionIndex = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(POLL_MAX_QUESTIONS - 1));

/** `PUT /api/polls/<id>/answers`: some or all questions (by index), each replacing the caller's earlier one. */
export const pollAnswersBodySchema = v.strictObject({
  answers: v.pipe(
    v.array(v.strictObject({ question: questionIndex, value: pollAnswerValueSchema })),
    v.minLength(1),
    v.maxLength(POLL_MAX_QUESTIONS),
  ),
});
export type PollAnswersBody = v.InferOutput<typeof pollAnswersBodySchema>;

/** `POST /api/classes/<id>/polls`: a draft, or launched at once. */
export const createPollBodySchema = v.strictObject({
  definition: pollDefinitionSchema,
  launch: v.optional(v.boolean()),
});
export const updatePollBodySchema = v.strictObject({ definition: pollDefinitionSchema });
export const showPollBodySchema = v.strictObject({ shown: v.boolean() });
/** Staff mark a text or code answer of a (not anonymous) quiz right or wrong; null clears the mark. */
export const markPollAnswerBodySchema = v.strictObject({
  question: questionIndex,
  userId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  correct: v.nullable(v.boolean()),
});
export type MarkPollAnswerBody = v.InferOutput<typeof markPollAnswerBodySchema>;
