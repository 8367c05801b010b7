// Staff write a poll or quiz: a title, questions of four types (options, the correct ones and points in a
// quiz, an expected code answer), an optional timer and anonymity; then save it as a draft or launch it.
import {
  POLL_MAX_OPTIONS,
  POLL_MAX_QUESTIONS,
  type PollDefinition,
  QUESTION_TYPES,
  type QuestionType,
} from '@tandem/shared';
import { useState } from 'react';
import {
  type ComposerDraft,
  checkDraft,
  fromDefinition,
  newDraft,
  newQuestion,
  type QuestionDraft,
} from './composerState.ts';

const TYPE_LABELS: Record<QuestionType, string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  text: 'Free text',
  code: 'Code answer',
};

export interface PollComposerProps {
  /** A draft being edited (absent: a new poll). */
  initial?: PollDefinition;
  onCreate(definition: PollDefinition, launch: boolean): Promise<unknown>;
  onCancel(): void;
}

export function PollComposer({ initial, onCreate, onCancel }: PollComposerProps) {
  const [draft, setDraft] = useState<ComposerDraft>(() => (initial ? fromDefinition(initial) : newDraft()));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const quiz = draft.kind === 'quiz';

  const change = (patch: Partial<ComposerDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const changeQuestion = (i: number, patch: Partial<QuestionDraft>) =>
    setDraft((d) => ({ ...d, questions: d.questions.map((q, n) => (n === i ? { ...q, ...patch } : q)) }));
  const submit = async (launch: boolean) => {
    const checked = checkDraft(draft);
    if (!checked.ok) return setError(checked.problem);
    setError(null);
    setBusy(true);
    try {
      await onCreate(checked.definition, launch);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="poll-composer" data-testid="poll-composer" onSubmit={(e) => e.preventDefault()}>
      <label className="poll-field">
        Title
        <input
          value={draft.title}
          maxLength={200}
          onChange={(e) => change({ title: e.target.value })}
          data-testid="poll-title"
        />
      </label>
      <div className="poll-row">
        <label>
          <input type="radio" name="poll-kind" checked={!quiz} onChange={() => change({ kind: 'poll' })} />{' '}
          Poll
        </label>
        <label>
          <input
            type="radio"
            name="poll-kind"
            checked={quiz}
            onChange={() => change({ kind: 'quiz' })}
            data-testid="poll-kind-quiz"
          />{' '}
          Quiz
        </label>
        <label>
          <input
            type="checkbox"
            checked={draft.anonymous}
            onChange={(e) => change({ anonymous: e.target.checked })}
            data-testid="poll-anonymous"
          />{' '}
          Anonymous
        </label>
        <label>
          Timer (s){' '}
          <input
            className="poll-timer"
            type="number"
            min={10}
            max={3600}
            placeholder="none"
            value={draft.timerSeconds}
            onChange={(e) => change({ timerSeconds: e.target.value })}
          />
        </label>
      </div>
      {draft.questions.map((q, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: questions are edited in place by position
        <fieldset key={i} className="poll-question-edit" data-question={i}>
          <legend>
            Question {i + 1}{' '}
            <select
              value={q.type}
              aria-label="Question type"
              onChange={(e) => changeQuestion(i, newQuestion(e.target.value as QuestionType))}
            >
              {QUESTION_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
            {draft.questions.length > 1 && (
              <button
                type="button"
                className="link-button"
                onClick={() => change({ questions: draft.questions.filter((_, n) => n !== i) })}
              >
                Remove
              </button>
            )}
          </legend>
          <textarea
            rows={2}
            placeholder="Ask something"
            value={q.prompt}
            onChange={(e) => changeQuestion(i, { prompt: e.target.value })}
            aria-label={`Question ${i + 1}`}
          />
          {(q.type === 'single' || q.type === 'multiple') && (
            <OptionsEditor question={q} quiz={quiz} onChange={(patch) => changeQuestion(i, patch)} />
          )}
          {q.type === 'code' && quiz && <span className="muted">Expected answer (optional)</span>}
          {q.type === 'code' && quiz && (
            <textarea
              className="poll-code-input"
              rows={3}
              spellCheck={false}
              placeholder="Expected answer (compared ignoring extra whitespace); leave empty to mark by hand"
              value={q.expected}
              onChange={(e) => changeQuestion(i, { expected: e.target.value })}
              aria-label="Expected answer"
            />
          )}
          {quiz && (
            <label className="poll-points">
              Points{' '}
              <input
                type="number"
                min={0}
                max={100}
                value={q.points}
                onChange={(e) => changeQuestion(i, { points: Number(e.target.value) })}
              />
            </label>
          )}
        </fieldset>
      ))}
      {draft.questions.length < POLL_MAX_QUESTIONS && (
        <button
          type="button"
          className="small-button"
          onClick={() => change({ questions: [...draft.questions, newQuestion()] })}
        >
          + Question
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="poll-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void submit(true)}
          data-testid="poll-launch-new"
        >
          Launch now
        </button>
        <button type="button" disabled={busy} onClick={() => void submit(false)}>
          {initial ? 'Save' : 'Save draft'}
        </button>
        <button type="button" className="link-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function OptionsEditor({
  question,
  quiz,
  onChange,
}: {
  question: QuestionDraft;
  quiz: boolean;
  onChange(patch: Partial<QuestionDraft>): void;
}) {
  const toggleCorrect = (o: number, on: boolean) => {
    if (question.type === 'single') return onChange({ correct: on ? [o] : [] });
    onChange({
      correct: on ? [...question.correct, o].sort((a, b) => a - b) : question.correct.filter((c) => c !== o),
    });
  };
  const removeOption = (o: number) =>
    onChange({
      options: question.options.filter((_, n) => n !== o),
      correct: question.correct.filter((c) => c !== o).map((c) => (c > o ? c - 1 : c)),
    });
  return (
    <ol className="poll-option-edit">
      {question.options.map((option, o) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place by position
        <li key={o}>
          {quiz && (
            <input
              type={question.type === 'single' ? 'radio' : 'checkbox'}
              checked={question.correct.includes(o)}
              onChange={(e) => toggleCorrect(o, e.target.checked)}
              aria-label={`Option ${o + 1} is correct`}
              title="Correct answer"
            />
          )}
          <input
            value={option}
            maxLength={200}
            placeholder={`Option ${o + 1}`}
            aria-label={`Option ${o + 1}`}
            onChange={(e) =>
              onChange({ options: question.options.map((x, n) => (n === o ? e.target.value : x)) })
            }
          />
          {question.options.length > 2 && (
            <button
              type="button"
              className="link-button"
              onClick={() => removeOption(o)}
              aria-label="Remove option"
            >
              ×
            </button>
          )}
        </li>
      ))}
      {question.options.length < POLL_MAX_OPTIONS && (
        <li>
          <button
            type="button"
            className="link-button"
            onClick={() => onChange({ options: [...question.options, ''] })}
          >
            + Option
          </button>
        </li>
      )}
    </ol>
  );
}
