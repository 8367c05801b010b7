// The activity summary: sessions split at gaps, time summed, edits bucketed, large single inserts marked.
import { describe, expect, it } from 'vitest';
import { summarizeActivity } from '../../../server/src/history/activity.ts';
import type { EditSpan } from '../../../server/src/storage/types/editSpans.ts';

const MIN = 60_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % (60 * MIN));
const span = (at: number, durationMs: number, chars: number, edits: number, maxInsert = 1): EditSpan => ({
  client: 1,
  clockFrom: 0,
  clockTo: chars,
  firstTs: at,
  lastTs: at + durationMs,
  userId: 'ana',
  edits,
  maxInsert,
});

describe('activity summary', () => {
  it('splits sessions at gaps, sums their time, buckets edits and marks pastes', () => {
    const summary = summarizeActivity(
      [
        span(T0 + 5 * MIN, 30_000, 40, 20),
        span(T0, MIN, 10, 5),
        span(T0 + 2 * MIN, MIN, 10, 5),
        span(T0 + 90 * MIN, 10_000, 500, 2, 480),
      ],
      { gapMinutes: 10, bucketMinutes: 60, pasteChars: 200 },
    );
    expect(summary.sessions).toEqual([
      { start: T0, end: T0 + 5 * MIN + 30_000, edits: 30, inserted: 60 },
      { start: T0 + 90 * MIN, end: T0 + 90 * MIN + 10_000, edits: 2, inserted: 500 },
    ]);
    expect(summary.editingMs).toBe(5 * MIN + 30_000 + 10_000);
    expect(summary.edits).toBe(32);
    expect(summary.inserted).toBe(560);
    expect(summary.buckets).toEqual([
      { start: T0, edits: 30, inserted: 60 },
      { start: T0 + 60 * MIN, edits: 2, inserted: 500 },
    ]);
    expect(summary.pastes).toEqual([{ at: T0 + 90 * MIN, chars: 480, userId: 'ana' }]);
    expect(summary.firstEditAt).toBe(T0);
    expect(summary.lastEditAt).toBe(T0 + 90 * MIN + 10_000);
  });

  it('is empty without spans', () => {
    const summary = summarizeActivity([], { gapMinutes: 10, bucketMinutes: 60, pasteChars: 200 });
    expect(summary).toMatchObject({ editingMs: 0, edits: 0, sessions: [], pastes: [], firstEditAt: null });
  });
});
