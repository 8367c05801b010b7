// What the output panel shows: the latest run in the room (or this person's own), built from run events as
// they arrive. Pure, so the rules (a new run replaces the old one, chunks in order, a cap on what a viewer
// keeps) are tested without a browser.
import type { RunEvent, RunLanguage, RunOutcome, RunStream } from '@tandem/shared';

/** A viewer keeps at most this many characters of one run's output (the runner caps what it sends anyway). */
export const MAX_VIEW_CHARS = 2 * 1024 * 1024;

export interface RunSegment {
  stream: RunStream;
  text: string;
}

export interface RunView {
  runId: string;
  by: { id: string; name: string };
  /** This page ran it (it can stop it). */
  own: boolean;
  /** Own runs only: whether the room sees it too. */
  shared: boolean;
  /** Started for staff only (a student's workspace run from the wall): the student does not see it. */
  staffOnly: boolean;
  fileName: string;
  language: RunLanguage;
  phase: 'loading' | 'running' | 'ended';
  /** Output with consecutive chunks of one stream merged. */
  segments: RunSegment[];
  chars: number;
  nextSeq: number;
  outcome: RunOutcome | null;
  detail: string | null;
  durationMs: number | null;
  truncated: boolean;
  /** The server did not share this run with the room (why). */
  notShared: string | null;
}

export function startedView(
  event: Extract<RunEvent, { type: 'start' }>,
  by: RunView['by'],
  own: { own: boolean; shared: boolean },
): RunView {
  return {
    runId: event.runId,
    by,
    ...own,
    staffOnly: event.audience === 'staff',
    fileName: event.fileName,
    language: event.language,
    phase: own.own ? 'loading' : 'running',
    segments: [],
    chars: 0,
    nextSeq: 0,
    outcome: null,
    detail: null,
    durationMs: null,
    truncated: false,
    notShared: null,
  };
}

/** The view after an output or exit event of the same run; events of another run leave it unchanged. */
export function applyRunEvent(view: RunView | null, event: RunEvent): RunView | null {
  if (!view || event.type === 'start' || event.runId !== view.runId || view.phase === 'ended') return view;
  if (event.type === 'exit') {
    return {
      ...view,
      phase: 'ended',
      outcome: event.outcome,
      detail: event.detail,
      durationMs: event.durationMs,
      truncated: view.truncated || event.truncated,
    };
  }
  // A chunk already seen (or out of order) is dropped; the relay keeps a socket's messages in order.
  if (event.seq < view.nextSeq) return view;
  const room = MAX_VIEW_CHARS - view.chars;
  if (room <= 0) return { ...view, nextSeq: event.seq + 1, truncated: true };
  const text = event.text.length > room ? event.text.slice(0, room) : event.text;
  const segments = view.segments.slice();
  const last = segments[segments.length - 1];
  if (last && last.stream === event.stream)
    segments[segments.length - 1] = { ...last, text: last.text + text };
  else segments.push({ stream: event.stream, text });
  return {
    ...view,
    phase: 'running',
    segments,
    chars: view.chars + text.length,
    nextSeq: event.seq + 1,
    truncated: view.truncated || text.length < event.text.length,
  };
}
