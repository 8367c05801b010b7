// The activity summary of a workspace, for grading, computed from its edit spans (which outlive log pruning):
// editing sessions (runs of edits with gaps shorter than `gapMinutes`) and the time they add up to, edits and
// characters inserted per time bucket, and large pastes (a single update inserting at least `pasteChars`).
import type { EditSpan } from '../storage/types/editSpans.ts';

export interface ActivityOptions {
  gapMinutes: number;
  bucketMinutes: number;
  pasteChars: number;
}

export interface ActivitySummary {
  /** Sum of the sessions' lengths (a session of one edit counts zero). */
  editingMs: number;
  edits: number;
  /** Characters (Yjs items) inserted. */
  inserted: number;
  firstEditAt: number | null;
  lastEditAt: number | null;
  sessions: { start: number; end: number; edits: number; inserted: number }[];
  /** Buckets with any edit, oldest first; `start` is aligned to the bucket size (UTC). */
  buckets: { start: number; edits: number; inserted: number }[];
  /** Spans holding an update that inserted at least `pasteChars` at once (time within a minute). */
  pastes: { at: number; chars: number; userId: string | null }[];
}

/** A reply lists at most this many sessions, buckets and pastes each (the newest). */
const MAX_LISTED = 2000;

export function summarizeActivity(spans: readonly EditSpan[], options: ActivityOptions): ActivitySummary {
  const sorted = [...spans].sort((a, b) => a.firstTs - b.firstTs);
  const gapMs = options.gapMinutes * 60_000;
  const bucketMs = options.bucketMinutes * 60_000;
  const sessions: ActivitySummary['sessions'] = [];
  const buckets = new Map<number, { start: number; edits: number; inserted: number }>();
  const pastes: ActivitySummary['pastes'] = [];
  let edits = 0;
  let inserted = 0;
  for (const span of sorted) {
    const chars = span.clockTo - span.clockFrom;
    edits += span.edits;
    inserted += chars;
    const last = sessions.at(-1);
    if (last && span.firstTs - last.end < gapMs) {
      last.end = Math.max(last.end, span.lastTs);
      last.edits += span.edits;
      last.inserted += chars;
    } else {
      sessions.push({ start: span.firstTs, end: span.lastTs, edits: span.edits, inserted: chars });
    }
    const start = Math.floor(span.firstTs / bucketMs) * bucketMs;
    const bucket = buckets.get(start) ?? { start, edits: 0, inserted: 0 };
    bucket.edits += span.edits;
    bucket.inserted += chars;
    buckets.set(start, bucket);
    if (span.maxInsert >= options.pasteChars) {
      pastes.push({ at: span.firstTs, chars: span.maxInsert, userId: span.userId });
    }
  }
  return {
    editingMs: sessions.reduce((sum, s) => sum + (s.end - s.start), 0),
    edits,
    inserted,
    firstEditAt: sorted[0]?.firstTs ?? null,
    lastEditAt: sorted.reduce<number | null>(
      (max, s) => (max === null || s.lastTs > max ? s.lastTs : max),
      null,
    ),
    sessions: sessions.slice(-MAX_LISTED),
    buckets: [...buckets.values()].sort((a, b) => a.start - b.start).slice(-MAX_LISTED),
    pastes: pastes.slice(-MAX_LISTED),
  };
}
