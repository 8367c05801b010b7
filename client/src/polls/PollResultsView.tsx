// A poll's results as bars (CSS widths, no chart library): per choice question the share of people who chose
// each option, the right options marked once the page may know them; text and code answers listed (names only
// for staff of a poll that is not anonymous; an anonymous poll's without anyone's name, sorted by text); a
// quiz's scores for staff.
import type { PollResults, PollView } from '@tandem/shared';

export interface PollResultsViewProps {
  poll: PollView;
  results: PollResults;
  /** Staff of a quiz mark text and code answers right or wrong. */
  onMark?(question: number, userId: string, correct: boolean): void;
}

export function PollResultsView({ poll, results, onMark }: PollResultsViewProps) {
  return (
    <div className="poll-results" data-testid="poll-results">
      <p className="muted">
        {results.responders} {results.responders === 1 ? 'person' : 'people'} answered
      </p>
      {poll.questions.map((q, i) => {
        const r = results.questions[i];
        if (!r) return null;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: questions are fixed once a poll is launched
          <div key={i} className="poll-result" data-question={i}>
            <p className="poll-prompt">{q.prompt}</p>
            {r.counts && (q.type === 'single' || q.type === 'multiple') && (
              <ul className="poll-bars">
                {q.options.map((option, o) => {
                  const count = r.counts?.[o] ?? 0;
                  const share = r.answered > 0 ? Math.round((count / r.answered) * 100) : 0;
                  const right = q.correct?.includes(o);
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: options are fixed once a poll is launched
                    <li key={o} className={right ? 'poll-bar right' : 'poll-bar'} data-option={o}>
                      <span className="poll-bar-label" title={right ? 'correct' : undefined}>
                        {right ? `✓ ${option}` : option}
                      </span>
                      <span className="poll-bar-track">
                        <span className="poll-bar-fill" style={{ width: `${share}%` }} />
                      </span>
                      <span className="poll-bar-count" data-testid="poll-count">
                        {count}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
            {r.answers && (
              <ul className="poll-answers" data-testid="poll-answers">
                {poll.anonymous && r.answers.length > 0 && (
                  <li className="muted">Anonymous, sorted by text.</li>
                )}
                {r.answers.length === 0 && <li className="muted">No answers yet.</li>}
                {r.answers.map((a, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a listing, replaced whole on every reload
                  <li key={n} className={a.correct === true ? 'right' : a.correct === false ? 'wrong' : ''}>
                    {a.name && <strong>{a.name}: </strong>}
                    {q.type === 'code' ? <pre className="poll-code">{a.text}</pre> : <span>{a.text}</span>}
                    {onMark && poll.kind === 'quiz' && a.userId && (
                      <span className="poll-mark">
                        <button
                          type="button"
                          className="small-button"
                          aria-pressed={a.correct === true}
                          onClick={() => onMark(i, a.userId!, true)}
                        >
                          ✓ Right
                        </button>
                        <button
                          type="button"
                          className="small-button"
                          aria-pressed={a.correct === false}
                          onClick={() => onMark(i, a.userId!, false)}
                        >
                          ✗ Wrong
                        </button>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {r.correctCount !== null && (
              <p className="muted">
                {r.correctCount} of {r.answered} right
              </p>
            )}
          </div>
        );
      })}
      {results.scores && results.maxPoints !== null && (
        <table className="poll-scores">
          <tbody>
            {results.scores.map((s) => (
              <tr key={s.userId}>
                <td>{s.name}</td>
                <td>
                  {s.points} / {results.maxPoints}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
