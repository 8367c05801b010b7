// The output panel below the editor: the latest run in the room as it streams (who ran which file, its
// state, stdout and stderr), rendered as text only.
import { useEffect, useRef } from 'react';
import type { RunView } from './runState.ts';
import type { Runner } from './useRunner.ts';

function statusOf(view: RunView): string {
  if (view.phase === 'loading') return 'starting…';
  if (view.phase === 'running') return 'running…';
  const seconds = view.durationMs !== null ? ` in ${(view.durationMs / 1000).toFixed(2)} s` : '';
  switch (view.outcome) {
    case 'ok':
      return `finished${seconds}`;
    case 'error':
      return `failed${seconds}`;
    case 'timeout':
      return 'stopped: time limit';
    case 'stopped':
      return 'stopped';
    case 'output_limit':
      return 'stopped: too much output';
    case 'crashed':
      return 'the runner failed';
    default:
      return 'ended';
  }
}

export function RunOutput({ runner }: { runner: Runner }) {
  const { view } = runner;
  const bodyRef = useRef<HTMLPreElement>(null);
  const chars = view?.chars ?? 0;
  // Follow the output as it streams (unless scrolled up to read).
  useEffect(() => {
    const body = bodyRef.current;
    if (!body || chars === 0) return;
    if (body.scrollHeight - body.scrollTop - body.clientHeight < 80) body.scrollTop = body.scrollHeight;
  }, [chars]);
  if (!view) return null;
  // A failed program's error is already in its output (the traceback); other ends are explained here.
  const endNote = view.outcome === 'error' ? null : view.detail;
  const who = view.own ? 'you' : view.by.name;
  return (
    <section
      className="run-output"
      data-testid="run-panel"
      data-run-id={view.runId}
      data-phase={view.phase}
      data-outcome={view.outcome ?? ''}
    >
      <header className="run-output-head">
        <strong>Output</strong>
        <span className="muted">
          {view.fileName} · run by {who}
          {view.own && !view.shared ? ' (only you see it)' : view.staffOnly ? ' (staff only)' : ''}
        </span>
        <span className={`run-status run-status-${view.outcome ?? view.phase}`} data-testid="run-status">
          {statusOf(view)}
        </span>
        <button
          type="button"
          className="small-button run-clear"
          onClick={runner.clear}
          disabled={view.phase !== 'ended'}
        >
          Clear
        </button>
      </header>
      <pre className="run-output-body" ref={bodyRef} data-testid="run-output">
        {view.segments.map((segment, i) => (
          // Segments only ever grow at the end: the index is a stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <span key={i} className={segment.stream === 'stderr' ? 'run-stderr' : undefined}>
            {segment.text}
          </span>
        ))}
        {view.phase === 'ended' && (endNote || view.truncated) && (
          <span className="run-end-note" data-testid="run-end-note">
            {view.truncated && view.outcome !== 'output_limit' ? '[output truncated]\n' : ''}
            {endNote ? `[${endNote}]` : ''}
          </span>
        )}
      </pre>
      {view.notShared && (
        <p className="run-not-shared" role="status">
          Not shared with the room: {view.notShared}
        </p>
      )}
    </section>
  );
}
