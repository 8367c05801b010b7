// What a loaded document costs in memory per connection that typed in it, next to what it adds to the stored
// state: each soak cycle (`npm run bench:soak -- --keep-open`) is a new Yjs client id typing 2 characters at the
// end of one of 20 documents. Here the same updates go into plain Y.Docs, without a server: the live heap they
// keep (after full GCs) against the growth of their encoded state.
//   node --expose-gc --import tsx bench/collab/docGrowth.ts [clients, default 20000] [documents, default 20]
import * as Y from 'yjs';

const CLIENTS = Number(process.argv[2] ?? 20_000);
const DOCS = Number(process.argv[3] ?? 20);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const liveHeap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const documents = Array.from({ length: DOCS }, () => new Y.Doc());
const before = liveHeap();
for (let i = 0; i < CLIENTS; i++) {
  const target = documents[i % DOCS]!;
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(target));
  client.on('update', (update: Uint8Array) => Y.applyUpdate(target, update));
  const text = client.getText('soak');
  text.insert(text.length, 'x');
  text.insert(text.length, 'x');
  client.destroy();
}
const retained = liveHeap() - before;
const encoded = documents.reduce((n, d) => n + Y.encodeStateAsUpdate(d).length, 0);
const structs = documents.reduce(
  (n, d) => n + [...d.store.clients.values()].reduce((m, a) => m + a.length, 0),
  0,
);
process.stdout.write(
  `${CLIENTS} client ids over ${DOCS} documents: ${structs} structs; live heap +${(retained / 1024 / 1024).toFixed(1)} MB ` +
    `(${Math.round(retained / CLIENTS)} B per client id), encoded state ${(encoded / 1024).toFixed(0)} KiB ` +
    `(${Math.round(encoded / CLIENTS)} B per client id)\n`,
);
