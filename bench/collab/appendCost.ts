// Cost of one durable update-log append, Tandem's per-keystroke storage work, in isolation: the real
// DocumentStore.append (journal write + its share of the batched fold into SQLite) on the real database setup
// (WAL, synchronous=NORMAL, migrations), next to other ways to write the same row. CPU time (user+system) is what the collaboration benchmark charges per update.
// Two modes: back to back (hot caches, the best case) and spaced by an idle gap, as keystrokes arrive in a
// server that is mostly idle; the second is the one that matches the server.
//   node --import tsx bench/collab/appendCost.ts [appends per variant, default 2000] [gap ms, default 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../server/src/logger.ts';
import { DocumentStore } from '../../server/src/storage/DocumentStore.ts';
import { type Db, openDatabase } from '../../server/src/storage/db.ts';

const APPENDS = Number(process.argv[2] ?? 2000);
const GAP_MS = Number(process.argv[3] ?? 3);
const DOCS = 5;
const UPDATE = new Uint8Array(28).fill(7);

interface Variant {
  name: string;
  /** Returns a function appending update number i; `db` and `dir` are fresh for each variant and mode. */
  setup(db: Db, dir: string): (i: number) => void;
  /** Appends handed over per call (group commit), default 1. */
  batch?: number;
}

/** The update-log statements; `insertRow(i)` writes update i the way the server's update log stores it. */
function statements(db: Db, ensureDocsNow = true) {
  const ensure = db.sql.prepare('INSERT OR IGNORE INTO documents (name, created_at) VALUES (?, ?)');
  const insert = db.sql.prepare('INSERT INTO updates (doc, seq, ts, user_id, data) VALUES (?, ?, ?, ?, ?)');
  if (ensureDocsNow) for (let d = 0; d < DOCS; d++) ensure.run(`bench/code/doc${d}`, Date.now());
  const insertRow = (i: number) =>
    insert.run(`bench/code/doc${i % DOCS}`, Math.floor(i / DOCS) + 1, Date.now(), 'user', UPDATE);
  return { ensure, insertRow };
}

const variants: Variant[] = [
  {
    name: 'DocumentStore.append as in server/src: one write() to the journal, folded into SQLite every 64 appends',
    setup(db) {
      const store = new DocumentStore(db, { historyRetentionDays: 30, foldIntervalMs: 3_600_000 });
      // The fold is charged to the appends it covers (the server runs it from a timer).
      return (i) => {
        store.append(`bench/code/doc${i % DOCS}`, UPDATE, 'user');
        if (i % 64 === 63) store.fold();
      };
    },
  },
  {
    name: 'before 770088d: INSERT OR IGNORE documents, then INSERT updates (2 autocommits per update)',
    setup(db) {
      const { ensure, insertRow } = statements(db, false);
      return (i) => {
        ensure.run(`bench/code/doc${i % DOCS}`, Date.now());
        insertRow(i);
      };
    },
  },
  {
    name: 'INSERT updates only, documents row ensured once per document (1 autocommit)',
    setup: (db) => statements(db).insertRow,
  },
  {
    name: 'INSERT only + PRAGMA locking_mode=EXCLUSIVE (no per-commit file locks)',
    setup(db) {
      db.sql.pragma('locking_mode = EXCLUSIVE');
      return statements(db).insertRow;
    },
  },
  {
    name: 'INSERT only, 10 appends per transaction (group commit per event-loop turn)',
    batch: 10,
    setup(db) {
      const { insertRow } = statements(db);
      const tx = db.sql.transaction((from: number) => {
        for (let i = from; i < from + 10; i++) insertRow(i);
      });
      return (i) => tx(i);
    },
  },
  {
    name: 'no SQLite on the hot path: one write() of the update to an append-only file (survives kill -9 too)',
    setup(_db, dir) {
      const fd = fs.openSync(path.join(dir, 'updates.log'), 'a');
      const record = Buffer.alloc(16 + UPDATE.length);
      return (i) => {
        record.writeUInt32LE(i, 0);
        record.set(UPDATE, 16);
        fs.writeSync(fd, record);
      };
    },
  },
];

const log = createLogger('silent');
const pause = () => new Promise((resolve) => setTimeout(resolve, GAP_MS));
process.stdout.write(
  `${APPENDS} appends of ${UPDATE.length}-byte updates over ${DOCS} documents per variant\n`,
);
process.stdout.write(`   CPU µs/append: back to back | spaced by ${GAP_MS} ms   variant\n`);
for (const variant of variants) {
  const results: string[] = [];
  for (const spaced of [false, true]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-append-'));
    const db = openDatabase(dir, log);
    try {
      const append = variant.setup(db, dir);
      const step = variant.batch ?? 1;
      // Warm the statements and the WAL before measuring.
      for (let i = 0; i < 200; i += step) append(APPENDS + 1_000_000 + i);
      let cpuUs = 0;
      for (let i = 0; i < APPENDS; i += step) {
        if (spaced) await pause();
        const cpu = process.cpuUsage();
        append(i);
        const used = process.cpuUsage(cpu);
        cpuUs += used.user + used.system;
      }
      results.push((cpuUs / APPENDS).toFixed(1));
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`   ${results[0]!.padStart(26)} | ${results[1]!.padStart(6)}   ${variant.name}\n`);
}
