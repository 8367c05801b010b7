// `npm run bench:seek [-- --engine sqlite|postgres] [--updates 100000] [--samples 400]`: how long reading a
// document as it was at a random moment takes (GET /api/documents/<name>/at, docs/timeline.md), for a
// two-hour class of 100,000 logged updates on synthetic server times. Three ways, each timed for random t:
//   naive:        the stock alternative: the log replayed from its start up to t (DocumentStorage.stateAt)
//   checkpoints:  the endpoint's work: the nearest checkpoint at or before t, then the log's tail up to t (with
//                 the JSON view, and without it: `content=false`, as the replay page asks)
// with checkpoints written as updates accrue (every TIMELINE_CHECKPOINT_EVERY_UPDATES: the same states the
// server's CheckpointWriter takes from the live document), within the per-document budget. Prints p50 / p99 / max in milliseconds and the checkpoint storage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createCodeFile, getCodeFile, parseDocumentName } from '@tandem/shared';
import { pino } from 'pino';
import * as Y from 'yjs';
import { docToJson } from '../../server/src/collab/docContent.ts';
import { type OpenedStorage, openStorage } from '../../server/src/storage/openStorage.ts';
import { CHECKPOINT_EVERY_UPDATES } from '../../server/src/timeline/checkpointBudget.ts';
import { DocumentSeeker } from '../../server/src/timeline/DocumentSeeker.ts';
import { documentAt } from '../../server/src/timeline/documentAt.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    updates: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '400' },
    'naive-samples': { type: 'string', default: '40' },
    /** Every keystroke at a random place (no cursor): the worst case for the state's size. */
    scattered: { type: 'boolean', default: false },
  },
});
const UPDATES = Number(values.updates);
const SAMPLES = Number(values.samples);
const NAIVE_SAMPLES = Number(values['naive-samples']);
const CLASS_MS = 2 * 3_600_000;
const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const DOC = 'bench/code/main';

/** Deterministic randomness, so runs compare. */
let seed = 17;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

async function open(clock: { t: number }): Promise<{ storage: OpenedStorage; dispose(): Promise<void> }> {
  const log = pino({ level: 'silent' });
  if (values.engine === 'postgres') {
    const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `bench_seek_${process.pid}`;
    const pg = await import('pg');
    const admin = new pg.default.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const storage = await openStorage(
      { engine: 'postgres', url, schema },
      { historyRetentionDays: 0, log, now: () => clock.t },
    );
    return {
      storage,
      async dispose() {
        await storage.close();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-seek-'));
  const storage = await openStorage(
    { engine: 'sqlite', dataDir },
    { historyRetentionDays: 0, log, now: () => clock.t },
  );
  return {
    storage,
    async dispose() {
      await storage.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Three people typing into one file over two hours: single characters at their own spot, backspaces, now and
 * then a line pasted. Each local change is one logged update, as a keystroke is.
 */
async function buildClass(storage: OpenedStorage, clock: { t: number }, seeker: DocumentSeeker) {
  await storage.documents.load(DOC);
  const people = ['tess', 'ana', 'ben'].map((id) => {
    const doc = new Y.Doc();
    return { id, doc, cursor: null as Y.RelativePosition | null };
  });
  let author = people[0]!;
  for (const p of people) {
    p.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      storage.documents.append(DOC, update, p.id);
      for (const other of people) if (other !== p) Y.applyUpdate(other.doc, update, 'remote');
    });
  }
  createCodeFile(people[0]!.doc, { id: 'main', name: 'main.py', content: '# class\n', createdBy: 'tess' });
  const gap = CLASS_MS / UPDATES;
  for (let n = 1; n < UPDATES; n++) {
    clock.t = START + Math.round(n * gap + random() * gap * 0.5);
    if (random() < 0.02) author = people[Math.floor(random() * people.length)]!;
    const text = getCodeFile(author.doc, 'main')!.text;
    // Each person types at their own cursor, which now and then jumps to another line.
    let spot = author.cursor
      ? (Y.createAbsolutePositionFromRelativePosition(author.cursor, author.doc)?.index ?? 0)
      : 0;
    if (author.cursor === null || random() < (values.scattered ? 1 : 0.01)) {
      spot = Math.floor(random() * (text.length + 1));
    }
    const r = random();
    // Typing with backspaces: the file ends near 20,000 characters, a long class's code.
    if (r < 0.6) text.insert(spot, String.fromCharCode(97 + Math.floor(random() * 26)));
    else if (r < 0.98 && spot > 0) text.delete(spot - 1, 1);
    else text.insert(spot, '\nprint("hello")\n');
    const after = Math.min(text.length, r < 0.6 ? spot + 1 : r < 0.98 ? Math.max(0, spot - 1) : spot + 16);
    author.cursor = Y.createRelativePositionFromTypeIndex(text, after);
    // Every N updates a checkpoint, as the server writes them (here from the log, by the seeker's catch-up).
    if ((n + 1) % CHECKPOINT_EVERY_UPDATES === 0) await seeker.catchUp(DOC);
  }
  await storage.documents.flush();
  await seeker.idle();
}

function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}

const fmt = (s: ReturnType<typeof stats>) =>
  `n=${s.n} p50=${s.p50.toFixed(1)} ms p99=${s.p99.toFixed(1)} ms max=${s.max.toFixed(1)} ms`;

async function main() {
  const clock = { t: START };
  const { storage, dispose } = await open(clock);
  try {
    const seeker = new DocumentSeeker({ timeline: storage.timeline, documents: storage.documents });
    const built = performance.now();
    await buildClass(storage, clock, seeker);
    const buildS = (performance.now() - built) / 1000;
    const checkpoints = await storage.timeline.checkpoints(DOC);
    const bytes = checkpoints.reduce((s, c) => s + c.bytes, 0);
    const finalState = await storage.documents.load(DOC);
    console.log(
      `engine=${values.engine} updates=${UPDATES} class=${CLASS_MS / 60_000} min built in ${buildS.toFixed(1)} s; ` +
        `document ${finalState.state?.length ?? 0} bytes; ${checkpoints.length} checkpoints, ${(bytes / 1024 / 1024).toFixed(1)} MiB`,
    );
    const parsed = parseDocumentName(DOC);
    if (!parsed.ok) throw new Error(parsed.reason);
    const noChat = { read: () => Promise.reject(new Error('not a chat document')) };
    const randomT = () => START + Math.floor(random() * CLASS_MS);

    // The endpoint's work, minus HTTP: seek, JSON view, base64 update; and as the replay page asks for it
    // (`content=false`: the update only), at the same moments.
    const fast: number[] = [];
    const bare: number[] = [];
    let maxTail = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const t = randomT();
      let began = performance.now();
      await documentAt(seeker, noChat, DOC, parsed.value, t);
      fast.push(performance.now() - began);
      began = performance.now();
      await documentAt(seeker, noChat, DOC, parsed.value, t, false);
      bare.push(performance.now() - began);
      maxTail = Math.max(maxTail, (await seeker.stateAt(DOC, t)).replayed);
    }
    console.log(`checkpoints: ${fmt(stats(fast))}; longest tail replayed: ${maxTail} updates`);
    console.log(`checkpoints, content=false (the replay page): ${fmt(stats(bare))}`);
    // Where that time goes: the checkpoint decoded, the tail applied, the reply encoded.
    const decode: number[] = [];
    const tail: number[] = [];
    const encode: number[] = [];
    for (let i = 0; i < Math.min(SAMPLES, 100); i++) {
      const t = randomT();
      const { at } = await storage.timeline.checkpointAt(DOC, t);
      let began = performance.now();
      const doc = new Y.Doc();
      if (at) Y.applyUpdate(doc, at.state);
      decode.push(performance.now() - began);
      began = performance.now();
      const found = await seeker.docAt(DOC, t);
      tail.push(performance.now() - began - decode.at(-1)!);
      began = performance.now();
      docToJson(Y.encodeStateAsUpdate(found.ydoc));
      encode.push(performance.now() - began);
      found.ydoc.destroy();
      doc.destroy();
    }
    console.log(`  of which: decode the checkpoint ${fmt(stats(decode))}`);
    console.log(`            apply the tail (estimate) ${fmt(stats(tail))}`);
    console.log(`            encode and JSON ${fmt(stats(encode))}`);

    // The stock alternative: the seq at t from the log, then the log replayed from its start.
    const history = await storage.documents.history(DOC, 0, UPDATES + 1);
    const naive: number[] = [];
    for (let i = 0; i < NAIVE_SAMPLES; i++) {
      const t = randomT();
      const began = performance.now();
      const upTo = history.findLast((h) => h.ts <= t)?.seq ?? 0;
      const state = (await storage.documents.stateAt(DOC, upTo))!;
      docToJson(state);
      Buffer.from(state).toString('base64');
      naive.push(performance.now() - began);
    }
    if (naive.length > 0) console.log(`naive replay from the start: ${fmt(stats(naive))}`);
  } finally {
    await dispose();
  }
}

await main();
