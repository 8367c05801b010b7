// Child-process entry, diagnosis only: Tandem's real server, wired exactly as server/src/main.ts does it,
// with hot spots replaced at runtime (BENCH_PATCH=append-lean,append-per-tick,append-per-5ms,append-off,
// no-autocheckpoint,no-metrics,no-fold,fold-1s,presence-via-hocuspocus) to measure what fixing them would
// buy. Never part of the reported comparison; server/src is not changed.
import type { beforeHandleAwarenessPayload } from '@hocuspocus/server';
import { createTandem } from '../../../server/src/app.ts';
import type { CollabContext } from '../../../server/src/collab/context.ts';
import { withIdentity } from '../../../server/src/collab/presence/awarenessUpdate.ts';
import { PresenceRoutes } from '../../../server/src/collab/presence/Presence.ts';
import { loadConfig } from '../../../server/src/config.ts';
import { createLogger } from '../../../server/src/logger.ts';
import { DocumentStore } from '../../../server/src/storage/DocumentStore.ts';
import { PATCHES } from '../patches.ts';

const patches = new Set((process.env.BENCH_PATCH ?? '').split(',').filter(Boolean));
for (const p of patches) {
  if (!(PATCHES as readonly string[]).includes(p)) {
    process.stderr.write(`tandemPatched: unknown patch "${p}" (expected ${PATCHES.join(', ')})\n`);
    process.exit(2);
  }
}

/** The fields of DocumentStore the patched append needs (private in TypeScript, present at runtime). */
interface StoreInternals {
  lastSeq: Map<string, number>;
  now: () => number;
  maxSeq(name: string, fallback: number): number;
  stmts: { ensureDoc: { run(...a: unknown[]): unknown }; insertUpdate: { run(...a: unknown[]): unknown } };
}

if (patches.has('append-lean')) {
  // The update log as it was before the journal: one INSERT and one commit per update on the event loop (the
  // documents row ensured once per document). Kept to compare the journal with the old synchronous append.
  const ensured = new WeakMap<object, Set<string>>();
  DocumentStore.prototype.append = function (this: DocumentStore, name, update, userId) {
    const self = this as unknown as StoreInternals;
    let names = ensured.get(this);
    if (!names) {
      names = new Set();
      ensured.set(this, names);
    }
    const seq = (self.lastSeq.get(name) ?? self.maxSeq(name, 0)) + 1;
    const ts = self.now();
    if (!names.has(name)) {
      self.stmts.ensureDoc.run(name, ts);
      names.add(name);
    }
    self.stmts.insertUpdate.run(name, seq, ts, userId, update);
    self.lastSeq.set(name, seq);
    return { seq, ts };
  };
}

const groupWindowMs = patches.has('append-per-5ms') ? 5 : patches.has('append-per-tick') ? 0 : undefined;
if (groupWindowMs !== undefined) {
  // Group commit: the updates of one event-loop turn (or of 5 ms) in one transaction. CPU effect only: a real
  // fix must also hold each sender's acknowledgement until the commit, which this patch does not do.
  const queue: unknown[][] = [];
  const later = (fn: () => void) => (groupWindowMs === 0 ? setImmediate(fn) : setTimeout(fn, groupWindowMs));
  DocumentStore.prototype.append = function (this: DocumentStore, name, update, userId) {
    const self = this as unknown as StoreInternals & {
      db: { sql: { transaction(fn: () => void): () => void } };
    };
    const seq = (self.lastSeq.get(name) ?? self.maxSeq(name, 0)) + 1;
    const ts = self.now();
    if (queue.length === 0) {
      later(() => {
        const rows = queue.splice(0);
        self.db.sql.transaction(() => {
          for (const row of rows) {
            self.stmts.ensureDoc.run(row[0], row[2]);
            self.stmts.insertUpdate.run(...row);
          }
        })();
      });
    }
    queue.push([name, seq, ts, userId, update]);
    self.lastSeq.set(name, seq);
    return { seq, ts };
  };
}

if (patches.has('append-off')) {
  // Upper bound of any storage fix: no log write at all (NOT durable).
  DocumentStore.prototype.append = function (this: DocumentStore, name) {
    const self = this as unknown as StoreInternals;
    const seq = (self.lastSeq.get(name) ?? 0) + 1;
    self.lastSeq.set(name, seq);
    return { seq, ts: self.now() };
  };
}

// no-fold: the journal write alone; nothing is folded into SQLite during the run (the journal just grows).
// fold-1s: folds four times less often than the default, in batches four times larger.
const foldMs = patches.has('no-fold') ? '3600000' : patches.has('fold-1s') ? '1000' : undefined;
const config = loadConfig(foldMs ? { ...process.env, UPDATE_LOG_FOLD_MS: foldMs } : process.env);
const tandem = await createTandem(config, createLogger(config.logLevel));

if (patches.has('no-autocheckpoint')) {
  // What moving WAL checkpoints (and their fsyncs) off the event loop would buy; the WAL just grows here.
  const { storage } = tandem.ctx;
  if (storage.engine === 'sqlite') storage.db.sql.pragma('wal_autocheckpoint = 0');
}

if (patches.has('no-metrics')) {
  const noop = () => {};
  for (const metric of Object.values(tandem.ctx.metrics) as unknown as Record<string, unknown>[]) {
    if (typeof metric.inc === 'function') metric.inc = noop;
    if (typeof metric.dec === 'function') metric.dec = noop;
    if (typeof metric.startTimer === 'function') metric.startTimer = () => () => 0;
  }
}

if (patches.has('presence-via-hocuspocus')) {
  // Awareness as before the presence path: Hocuspocus's own handling (scratch Y.Doc per message, a broadcast per
  // event-loop turn) with only the identity rewrite in its beforeHandleAwareness hook (no ownership or caps).
  PresenceRoutes.prototype.match = () => undefined;
  for (const extension of tandem.ctx.collab.hocuspocus.configuration.extensions) {
    if (typeof extension.beforeHandleAwareness !== 'function') continue;
    extension.beforeHandleAwareness = async ({
      context,
      states,
    }: beforeHandleAwarenessPayload<CollabContext>) => {
      const user = context?.user;
      if (user) for (const [id, state] of states) states.set(id, withIdentity(state, user));
    };
  }
}

const url = await tandem.listen();
process.stdout.write(`listening on ${url.origin}\n`);
process.stderr.write(`tandemPatched: ${[...patches].join(', ') || 'no patches'}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    tandem.close().finally(() => process.exit(0));
  });
}
