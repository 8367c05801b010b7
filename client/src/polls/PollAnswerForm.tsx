// A launched poll as a student answers it: radio buttons, checkboxes, a text box or a monospace code box per
// question, prefilled with their earlier answers, which they may change until the poll closes. Observers see
// the questions read-only. Once closed, a quiz shows which of their answers were right.
import {
  POLL_CODE_ANSWER_MAX_CHARS,
  POLL_TEXT_ANSWER_MAX_CHARS,
  type PollAnswersBody,
  type PollAnswerValue,
  type PollQuestion,
  type PollView,
} from '@tandem/shared';
import { useEffect, useState } from 'react';
import { Countdown } from './Countdown.tsx';

type Draft = Record<number, PollAnswerValue>;

function initialDraft(poll: PollView): Draft {
  const draft: Draft = {};
  poll.mine?.forEach((answer, i) => {
    if (answer) draft[i] = answer.value;
  });
  return draft;
}

export interface PollAnswerFormProps {
  poll: PollView;
  canAnswer: boolean;
  onSubmit(body: PollAnswersBody): Promise<unknown>;
}

export function PollAnswerForm({ poll, canAnswer, onSubmit }: PollAnswerFormProps) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(poll));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const open = poll.state === 'open';
  const answered = poll.mine?.some((a) => a !== null) ?? false;
  // The server's answers win when the poll changes under the form (closed, graded).
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the poll's state changes
  useEffect(() => setDraft(initialDraft(poll)), [poll.id, poll.state]);

  const set = (question: number, value: PollAnswerValue | null) => {
    setSaved(false);
    setDraft((d) => {
      const next = { ...d };
      if (value === null) delete next[question];
      else next[question] = value;
      return next;
    });
  };
  const submit = async () => {
    setError(null);
    const answers = Object.entries(draft).map(([q, value]) => ({ question: Number(q), value }));
    if (answers.length === 0) return setError('Answer at least one question.');
    try {
      await onSubmit({ answers });
      setSaved(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const disabled = !open || !canAnswer;

  return (
    <form
      className="poll-form"
      data-testid="poll-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {poll.questions.map((q, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: questions are fixed once a poll is launched
        <fieldset key={i} className="poll-question" disabled={disabled} data-question={i}>
          <legend>
            {i + 1}. {q.prompt}
            {poll.mine?.[i]?.correct === true && <span className="poll-verdict right"> ✓ right</span>}
            {poll.mine?.[i]?.correct === false && <span className="poll-verdict wrong"> ✗ wrong</span>}
          </legend>
          <QuestionInput
            question={q}
            index={i}
            pollId={poll.id}
            value={draft[i]}
            onChange={(v) => set(i, v)}
          />
        </fieldset>
      ))}
      {open && canAnswer && (
        <div className="poll-actions">
          <button type="submit" className="primary" data-testid="poll-submit">
            {answered ? 'Change answer' : 'Submit'}
          </button>
          {saved && <span className="muted">Saved. You can change it until the poll closes.</span>}
          {poll.closesAt && <Countdown until={poll.closesAt} />}
        </div>
      )}
      {open && !canAnswer && <p className="muted">Observers can watch polls but not answer.</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

interface QuestionInputProps {
  question: PollQuestion;
  index: number;
  pollId: string;
  value: PollAnswerValue | undefined;
  onChange(value: PollAnswerValue | null): void;
}

function QuestionInput({ question, index, pollId, value, onChange }: QuestionInputProps) {
  const chosen = value && 'choices' in value ? value.choices : [];
  const text = value && 'text' in value ? value.text : '';
  switch (question.type) {
    case 'single':
    case 'multiple':
      return (
        <div className="poll-options">
          {question.options.map((option, o) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: options are fixed once a poll is launched
            <label key={o} className="poll-option">
              <input
                type={question.type === 'single' ? 'radio' : 'checkbox'}
                name={`${pollId}-${index}`}
                checked={chosen.includes(o)}
                onChange={(e) => {
                  if (question.type === 'single') return onChange({ choices: [o] });
                  const next = e.target.checked
                    ? [...chosen, o].sort((a, b) => a - b)
                    : chosen.filter((c) => c !== o);
                  onChange(next.length > 0 ? { choices: next } : null);
                }}
              />
              <span>{option}</span>
              {question.correct?.includes(o) && <span className="poll-verdict right"> ✓ correct</span>}
            </label>
          ))}
        </div>
      );
    case 'text':
      return (
        <textarea
          className="poll-text"
          rows={2}
          maxLength={POLL_TEXT_ANSWER_MAX_CHARS}
          value={text}
          aria-label="Your answer"
          onChange={(e) => onChange(e.target.value.trim() ? { text: e.target.value } : null)}
        />
      );
    case 'code':
      return (
        <>
          <textarea
            className="poll-text poll-code-input"
            rows={5}
            spellCheck={false}
            maxLength={POLL_CODE_ANSWER_MAX_CHARS}
            value={text}
            aria-label="Your code"
            onChange={(e) => onChange(e.target.value.trim() ? { text: e.target.value } : null)}
          />
          {/* Only sent once a quiz closed. */}
          {question.expected !== undefined && (
            <div className="poll-expected" data-testid="poll-expected">
              <span className="muted">Expected answer</span>
              <pre className="poll-code">{question.expected}</pre>
            </div>
          )}
        </>
      );
    default: {
      const unreachable: never = question;
      return unreachable;
    }
  }
}
