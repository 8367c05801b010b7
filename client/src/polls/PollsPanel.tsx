// The classroom panel's Polls tab. Staff: compose a poll or quiz, launch it, watch results arrive, show them to
// the class, close it; mark a quiz's text and code answers. Students: answer the open polls (and change their
// answers until they close) and see results staff show. Observers watch.
import { isStaff, type PollDefinition, type PollView, type Role } from '@tandem/shared';
import { useMemo, useState } from 'react';
import type { LiveClass } from '../classroom/useLiveClass.ts';
import { Countdown } from './Countdown.tsx';
import { PollAnswerForm } from './PollAnswerForm.tsx';
import { PollComposer } from './PollComposer.tsx';
import { PollResultsView } from './PollResultsView.tsx';
import { PollsApi } from './pollsApi.ts';
import { usePolls } from './usePolls.ts';
import './polls.css';

export function PollsPanel({ live, role }: { live: LiveClass; role: Role }) {
  const api = useMemo(() => new PollsApi(live.api), [live.api]);
  const staff = isStaff(role);
  return (
    <section className="polls-panel" aria-label="Polls" data-testid="polls-panel">
      {staff ? (
        <StaffPolls live={live} api={api} />
      ) : (
        <ClassPolls live={live} api={api} canAnswer={role === 'student'} />
      )}
    </section>
  );
}

function StaffPolls({ live, api }: { live: LiveClass; api: PollsApi }) {
  const { polls, error, reload } = usePolls(live, api, true);
  const [composing, setComposing] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const run = (action: () => Promise<unknown>) => {
    setActionError(null);
    action().then(reload, (e: unknown) => setActionError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <>
      {composing ? (
        <PollComposer
          onCreate={async (definition, launch) => {
            await api.create(definition, launch);
            setComposing(false);
            reload();
          }}
          onCancel={() => setComposing(false)}
        />
      ) : (
        <button type="button" className="primary" onClick={() => setComposing(true)} data-testid="poll-new">
          New poll or quiz
        </button>
      )}
      {(error || actionError) && (
        <p className="form-error" role="alert">
          {actionError ?? error}
        </p>
      )}
      {polls.length === 0 && !composing && <p className="muted">No polls yet.</p>}
      {polls.map((poll) => (
        <article
          key={poll.id}
          className={`poll-card poll-${poll.state}`}
          data-poll-id={poll.id}
          data-state={poll.state}
        >
          <PollHeader poll={poll} />
          <div className="poll-actions">
            {poll.state === 'draft' && editing !== poll.id && (
              <>
                <button type="button" className="small-button" onClick={() => setEditing(poll.id)}>
                  Edit
                </button>
                <button
                  type="button"
                  className="primary small-button"
                  onClick={() => run(() => api.launch(poll.id))}
                >
                  Launch
                </button>
                <button type="button" className="small-button" onClick={() => run(() => api.remove(poll.id))}>
                  Delete
                </button>
              </>
            )}
            {poll.state === 'open' && (
              <button
                type="button"
                className="small-button"
                onClick={() => run(() => api.close(poll.id))}
                data-testid="poll-close"
              >
                Close
              </button>
            )}
            {poll.state === 'open' && poll.closesAt && <Countdown until={poll.closesAt} />}
            {poll.state !== 'draft' && (
              <button
                type="button"
                className="small-button"
                aria-pressed={poll.shown}
                onClick={() => run(() => api.show(poll.id, !poll.shown))}
                data-testid="poll-show"
              >
                {poll.shown ? 'Hide results' : 'Show results to class'}
              </button>
            )}
          </div>
          {editing === poll.id ? (
            <PollComposer
              initial={definitionOf(poll)}
              onCreate={async (definition, launch) => {
                await api.update(poll.id, definition);
                if (launch) await api.launch(poll.id);
                setEditing(null);
                reload();
              }}
              onCancel={() => setEditing(null)}
            />
          ) : poll.state === 'draft' ? (
            <ol className="poll-draft-questions">
              {poll.questions.map((q, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a draft's questions by position
                <li key={i}>{q.prompt}</li>
              ))}
            </ol>
          ) : (
            poll.results && (
              <PollResultsView
                poll={poll}
                results={poll.results}
                onMark={(question, userId, correct) =>
                  run(() => api.mark(poll.id, question, userId, correct))
                }
              />
            )
          )}
        </article>
      ))}
    </>
  );
}

function ClassPolls({ live, api, canAnswer }: { live: LiveClass; api: PollsApi; canAnswer: boolean }) {
  const polls = live.state?.polls ?? [];
  if (polls.length === 0)
    return <p className="muted">No poll is open. When staff launch one, it appears here.</p>;
  return (
    <>
      {polls.map((poll) => (
        <article
          key={poll.id}
          className={`poll-card poll-${poll.state}`}
          data-poll-id={poll.id}
          data-state={poll.state}
        >
          <PollHeader poll={poll} />
          <PollAnswerForm
            poll={poll}
            canAnswer={canAnswer}
            onSubmit={async (body) => {
              await api.answer(poll.id, body);
              live.reload();
            }}
          />
          {poll.results && <PollResultsView poll={poll} results={poll.results} />}
        </article>
      ))}
    </>
  );
}

/** Staff's view of a draft carries its whole definition. */
function definitionOf(poll: PollView): PollDefinition {
  return {
    title: poll.title,
    kind: poll.kind,
    anonymous: poll.anonymous,
    timerSeconds: poll.timerSeconds,
    questions: poll.questions,
  };
}

function PollHeader({ poll }: { poll: PollView }) {
  const badges = [
    poll.kind === 'quiz' ? 'Quiz' : 'Poll',
    poll.anonymous ? 'anonymous' : null,
    poll.state,
  ].filter(Boolean);
  return (
    <header className="poll-header">
      <h3>{poll.title}</h3>
      <span className="poll-badges">
        {badges.map((b) => (
          <span key={b} className={`poll-badge badge-${b}`}>
            {b}
          </span>
        ))}
      </span>
    </header>
  );
}
