// `npm run bench:update-cost`: how well the update cost estimate (server/src/collab/updateCost.ts) tracks what
// applying an update really costs. For each shape of update, at several sizes: the estimate in operations, the
// time Y.applyUpdate took on a server-like document (gc on, an update listener), and the time per operation.
// The estimate is a good limit when the time per operation stays within a small factor across shapes.
import { performance } from 'node:perf_hooks';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { checkUpdate } from '../../server/src/collab/updateValidation.ts';

interface Shape {
  name: string;
  sizes: number[];
  /** The document before, and the update to apply to it. */
  build(n: number): { doc: Y.Doc; update: Uint8Array };
}

function deleteRanges(client: number, ranges: Iterable<[number, number]>): Uint8Array {
  const list = [...ranges];
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, list.length);
  for (const [clock, len] of list) {
    encoding.writeVarUint(e, clock);
    encoding.writeVarUint(e, len);
  }
  return encoding.toUint8Array(e);
}

function* alternate(n: number, start: number, step: number): Generator<[number, number]> {
  for (let i = 0; i < n; i++) yield [start + step * i, 1];
}

/** One client holding `n` structs that never merge (two-character inserts at the front). */
function fragmented(n: number): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  doc.transact(() => {
    for (let i = 0; i < n; i++) text.insert(0, 'ab');
  });
  return doc;
}

const SHAPES: Shape[] = [
  {
    name: 'one-character inserts',
    sizes: [5_000, 20_000],
    build(n) {
      const src = new Y.Doc();
      const text = src.getText('t');
      src.transact(() => {
        for (let i = 0; i < n; i++) text.insert(0, 'y');
      });
      return { doc: new Y.Doc(), update: Y.encodeStateAsUpdate(src) };
    },
  },
  {
    name: 'ranges splitting one long item',
    sizes: [2_000, 10_000],
    build(n) {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'z'.repeat(2 * n + 2));
      return { doc, update: deleteRanges(doc.clientID, alternate(n, 1, 2)) };
    },
  },
  {
    name: 'whole-struct ranges, no splits',
    sizes: [10_000, 50_000],
    build(n) {
      const doc = fragmented(n);
      return { doc, update: deleteRanges(doc.clientID, alternate(n / 2, 0, 4)) };
    },
  },
  {
    name: 'splits at the front of 100,000 structs',
    sizes: [50, 200],
    build(n) {
      const doc = fragmented(100_000);
      return { doc, update: deleteRanges(doc.clientID, alternate(n, 1, 2)) };
    },
  },
  {
    name: 'ranges across two structs, front of 100,000',
    sizes: [200, 1000],
    build(n) {
      const doc = fragmented(100_000);
      // [2k+1, 2] ends the k-th oldest struct and starts the next: a split at each end.
      return {
        doc,
        update: deleteRanges(
          doc.clientID,
          Array.from({ length: n }, (_, k) => [4 * k + 1, 2]),
        ),
      };
    },
  },
  {
    name: 'inserts inside the oldest items of 100,000',
    sizes: [50, 200],
    build(n) {
      const doc = fragmented(100_000);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      const before = Y.encodeStateVector(copy);
      const text = copy.getText('t');
      copy.transact(() => {
        // Position 2k+1 from the end is inside the k-th oldest two-character item.
        for (let k = 0; k < n; k++) text.insert(text.length - (3 * k + 1), 'q');
      });
      return { doc, update: Y.encodeStateAsUpdate(copy, before) };
    },
  },
];

function main(): void {
  process.stdout.write(
    `${'shape'.padEnd(44)} ${'n'.padStart(7)} ${'operations'.padStart(11)} ${'apply ms'.padStart(9)} ${'µs/op'.padStart(7)}\n`,
  );
  for (const shape of SHAPES) {
    for (const n of shape.sizes) {
      const { doc, update } = shape.build(n);
      doc.on('update', () => {});
      const verdict = checkUpdate(doc, update, 'bench', { ownerOf: () => undefined });
      if (!verdict.ok) throw new Error(`${shape.name}: ${verdict.refusal.reason}`);
      const t0 = performance.now();
      Y.applyUpdate(doc, update);
      const ms = performance.now() - t0;
      const us = (ms * 1000) / verdict.operations;
      process.stdout.write(
        `${shape.name.padEnd(44)} ${String(n).padStart(7)} ${Math.round(verdict.operations).toString().padStart(11)} ${ms.toFixed(1).padStart(9)} ${us.toFixed(2).padStart(7)}\n`,
      );
    }
  }
}

main();
