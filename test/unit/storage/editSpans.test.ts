// Edit spans derived from updates: one client's consecutive typing folds into one span for at most
// SPAN_MAX_MS; another author, a gap in clocks or an old span starts a new one; resent clocks are skipped;
// a delete-only update counts as an edit of its author's recent span; spans too old to extend are not kept.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EditSpans, SPAN_MAX_MS } from '../../../server/src/storage/EditSpans.ts';

function writer(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const capture = (change: () => void): Uint8Array => {
    let update: Uint8Array | undefined;
    const grab = (u: Uint8Array) => {
      update = u;
    };
    doc.on('update', grab);
    change();
    doc.off('update', grab);
    return update!;
  };
  const text = doc.getText('t');
  return {
    type: (s: string) => capture(() => text.insert(text.length, s)),
    erase: (n: number) => capture(() => text.delete(0, n)),
  };
}

const edit = (data: Uint8Array, ts: number, userId: string | null = 'ana', doc = 'd') => ({
  doc,
  ts,
  userId,
  data,
});

describe('EditSpans', () => {
  it('folds consecutive typing into one span, and starts another after SPAN_MAX_MS', () => {
    const spans = new EditSpans();
    const ana = writer(5);
    expect(spans.record(edit(ana.type('ab'), 1000))).toMatchObject([
      { doc: 'd', client: 5, clockFrom: 0, clockTo: 2, firstTs: 1000, lastTs: 1000, edits: 1, maxInsert: 2 },
    ]);
    expect(spans.record(edit(ana.type('cde'), 2000))).toMatchObject([
      { clockFrom: 0, clockTo: 5, firstTs: 1000, lastTs: 2000, edits: 2, maxInsert: 3 },
    ]);
    expect(spans.record(edit(ana.type('f'), 1000 + SPAN_MAX_MS + 1))).toMatchObject([
      { clockFrom: 5, clockTo: 6, edits: 1 },
    ]);
  });

  it('skips clocks already indexed and counts a delete-only update in the recent span', () => {
    const spans = new EditSpans();
    const ana = writer(5);
    const first = ana.type('abc');
    spans.record(edit(first, 1000));
    expect(spans.record(edit(first, 1500))).toEqual([]);
    expect(spans.record(edit(ana.erase(1), 1600))).toMatchObject([{ clockFrom: 0, clockTo: 3, edits: 2 }]);
    // Someone else's delete, or one long after, indexes nothing.
    expect(spans.record(edit(ana.erase(1), 1700, 'bob'))).toEqual([]);
    expect(spans.record(edit(ana.erase(1), 1000 + SPAN_MAX_MS + 1))).toEqual([]);
  });

  it('keeps documents and clients apart, and starts over once forgotten', () => {
    const spans = new EditSpans();
    const ana = writer(5);
    const bob = writer(6);
    spans.record(edit(ana.type('a'), 1000));
    expect(spans.record(edit(bob.type('b'), 1000, 'bob'))).toMatchObject([{ client: 6, clockFrom: 0 }]);
    expect(spans.record(edit(ana.type('a'), 1000, 'ana', 'other'))).toMatchObject([
      { doc: 'other', clockFrom: 1, clockTo: 2, edits: 1 },
    ]);
    spans.forget('d');
    expect(spans.record(edit(ana.type('x'), 1100))).toMatchObject([{ doc: 'd', clockFrom: 2, edits: 1 }]);
  });

  it('keeps no span per client once it is too old to extend (a document loaded for hours)', () => {
    const spans = new EditSpans();
    // 1,000 page loads, each a new client id typing once.
    for (let client = 1; client <= 1000; client++)
      spans.record(edit(writer(client).type('x'), 1000 + client));
    expect(spans.openSpans('d')).toBe(1000);
    const later = 2000 + SPAN_MAX_MS + 1;
    const ana = writer(5000);
    expect(spans.record(edit(ana.type('a'), later))).toMatchObject([{ client: 5000, clockFrom: 0 }]);
    expect(spans.openSpans('d')).toBe(1);
    // The kept span still folds the next keystrokes, and a client whose span was dropped starts a new one.
    expect(spans.record(edit(ana.type('b'), later + 10))).toMatchObject([
      { clockFrom: 0, clockTo: 2, edits: 2 },
    ]);
    const early = writer(1);
    early.type('x');
    expect(spans.record(edit(early.type('y'), later + 20))).toMatchObject([
      { client: 1, clockFrom: 1, clockTo: 2 },
    ]);
  });
});
