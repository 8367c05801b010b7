// Per-line attribution from a Y.Text's items and edit spans: the most recent character of a line names it,
// its line break does not; characters with no span still get their client id's owner.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blameRuns, SpanIndex, textRuns } from '../../../server/src/history/blame.ts';
import type { EditSpan } from '../../../server/src/storage/types/editSpans.ts';

const span = (client: number, clockFrom: number, clockTo: number, firstTs: number): EditSpan => ({
  client,
  clockFrom,
  clockTo,
  firstTs,
  lastTs: firstTs,
  userId: `user-${client}`,
  edits: 1,
  maxInsert: clockTo - clockFrom,
});

function twoWriters() {
  const a = new Y.Doc();
  a.clientID = 1;
  const b = new Y.Doc();
  b.clientID = 2;
  a.getText('t').insert(0, 'one\ntwo\n'); // clocks 0..7 of client 1
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  b.getText('t').insert(8, 'three'); // clocks 0..4 of client 2
  b.getText('t').insert(3, '!'); // clock 5 of client 2, at the end of line 1
  return b.getText('t');
}

describe('blame', () => {
  it('attributes each line to its latest character, line breaks aside', () => {
    const text = twoWriters();
    expect(text.toString()).toBe('one!\ntwo\nthree');
    const index = new SpanIndex([span(1, 0, 8, 100), span(2, 0, 5, 200), span(2, 5, 6, 300)], new Map());
    expect(blameRuns(textRuns(text), index)).toEqual([
      { line: 1, userId: 'user-2', ts: 300 },
      { line: 2, userId: 'user-1', ts: 100 },
      { line: 3, userId: 'user-2', ts: 200 },
    ]);
  });

  it('prefers the client-id binding, and names the owner when no span is known', () => {
    const text = twoWriters();
    const index = new SpanIndex([span(1, 0, 8, 100)], new Map([[2, 'bob']]));
    expect(blameRuns(textRuns(text), index)).toEqual([
      { line: 1, userId: 'user-1', ts: 100 },
      { line: 2, userId: 'user-1', ts: 100 },
      { line: 3, userId: 'bob', ts: null },
    ]);
  });

  it('gives an empty text one line with no author', () => {
    expect(blameRuns(textRuns(new Y.Doc().getText('t')), new SpanIndex([], new Map()))).toEqual([
      { line: 1, userId: null, ts: null },
    ]);
  });
});
