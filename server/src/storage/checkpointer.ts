// Moves WAL checkpoints off the event loop: SQLite's automatic checkpoint runs inside whichever commit
// crosses the threshold and fsyncs twice (milliseconds with nothing relayed). A worker thread with its
// own connection checkpoints passively instead, so appends only ever write to the WAL.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';

const CHECKPOINT_INTERVAL_MS = 5000;

// Plain CommonJS so the worker needs no TypeScript loader (tests and tsx alike).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next round catches up */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(
  file: string,
  log: Logger,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs },
  });
  // A failing checkpointer must never take the server down: the WAL then just grows until restart.
  worker.on('error', (error) => log.error({ err: error, file }, 'WAL checkpointer stopped'));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop() {
      worker.postMessage('stop');
      return exited;
    },
  };
}
