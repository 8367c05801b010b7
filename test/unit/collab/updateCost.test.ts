// The update cost estimate: cheap shapes stay cheap (typing, pastes, whole-file deletes), and the shapes that
// cost Yjs a splice per range (delete sets that split items, edits inside a client with many structs) are
// charged for what they really move.
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../../server/src/collab/updateValidation.ts';

const anyone = { ownerOf: () => undefined };

function operations(doc: Y.Doc, update: Uint8Array): number {
  const verdict = checkUpdate(doc, update, 'u', anyone);
  if (!verdict.ok) throw new Error(verdict.refusal.reason);
  return verdict.operations;
}

/** What `edit` changes on a copy of `doc`, as the update its author would send. */
function editOf(doc: Y.Doc, edit: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  edit(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

/** An update with no structs and a delete set of `ranges` ([clock, len]) of one client, encoded directly. */
function deleteRanges(client: number, ranges: [number, number][]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, ranges.length);
  for (const [clock, len] of ranges) {
    encoding.writeVarUint(e, clock);
    encoding.writeVarUint(e, len);
  }
  return encoding.toUint8Array(e);
}

/** A document whose one client holds `n` structs (one-character inserts at the front never merge). */
function fragmented(n: number): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  doc.transact(() => {
    for (let i = 0; i < n; i++) text.insert(0, 'ab');
  });
  return doc;
}

describe('update cost', () => {
  it('charges a keystroke, a pasted file and deleting a whole file next to nothing', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello world');
    expect(
      operations(
        doc,
        editOf(doc, (d) => d.getText('t').insert(5, ',')),
      ),
    ).toBeLessThan(5);
    expect(
      operations(
        doc,
        editOf(doc, (d) => d.getText('t').insert(0, 'x'.repeat(500_000))),
      ),
    ).toBeLessThan(5);

    const big = fragmented(20_000);
    const text = big.getText('t');
    expect(
      operations(
        big,
        editOf(big, (d) => d.getText('t').delete(0, text.length)),
      ),
    ).toBeLessThan(20_000 * 0.2 + 10);
  });

  it('charges each new struct, so many one-character items in one update add up', () => {
    const doc = new Y.Doc();
    const update = editOf(doc, (d) => {
      const t = d.getText('t');
      d.transact(() => {
        for (let i = 0; i < 5000; i++) t.insert(0, 'y');
      });
    });
    expect(operations(doc, update)).toBeGreaterThanOrEqual(5000);
  });

  it('charges a delete set of one-character ranges inside one long item for every split', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'z'.repeat(20_000));
    const ranges: [number, number][] = [];
    for (let i = 0; i < 5000; i++) ranges.push([2 * i + 1, 1]);
    // Two splits per range, plus the range and the struct it covers.
    expect(operations(doc, deleteRanges(doc.clientID, ranges))).toBeGreaterThan(5000 * 2);
  });

  it('charges splits by the structs they move: a few ranges at the front of a long client cost a lot', () => {
    const doc = fragmented(100_000);
    const structs = doc.store.clients.get(doc.clientID)!.length;
    // Clocks 0-1 are the first insert ('ab'), the first struct of the client: split it in the middle.
    const cost = operations(doc, deleteRanges(doc.clientID, [[1, 1]]));
    expect(cost).toBeGreaterThan(structs / 1000);
    // Many such ranges are charged what Yjs would move: far beyond the default limit of 30,000.
    const ranges: [number, number][] = [];
    for (let i = 0; i < 500; i++) ranges.push([2 * i + 1, 1]);
    expect(operations(doc, deleteRanges(doc.clientID, ranges))).toBeGreaterThan(30_000);
  });

  it('charges an insert inside an existing item for the split it causes', () => {
    const doc = fragmented(50_000);
    // Typing inside the first (oldest, front of the array) item splits it.
    const text = doc.getText('t');
    const update = editOf(doc, (d) => d.getText('t').insert(text.length - 1, 'q'));
    expect(operations(doc, update)).toBeGreaterThan(40);
    // Typing at the end of the newest item splits nothing.
    expect(
      operations(
        doc,
        editOf(doc, (d) => d.getText('t').insert(2, 'q')),
      ),
    ).toBeLessThan(5);
  });
});
