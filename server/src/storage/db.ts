// Opens the SQLite database under DATA_DIR (WAL, synchronous=NORMAL: a committed transaction survives a
// process crash) and brings its schema up to date.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger.ts';
import { startCheckpointer } from './checkpointer.ts';
import { migrate } from './migrations.ts';

export type SqliteDb = Database.Database;

export interface Db {
  sql: SqliteDb;
  /** The database file's path; DocumentStore keeps its update journal next to it. */
  file: string;
  isOpen(): boolean;
  close(): void;
}

export interface OpenOptions {
  fileName?: string;
  /** How often the worker checkpoints the WAL (checkpointer.ts); tests shorten it. */
  checkpointIntervalMs?: number;
}

export function openDatabase(
  dataDir: string,
  log: Logger,
  { fileName = 'tandem.db', checkpointIntervalMs }: OpenOptions = {},
): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, fileName);
  const sql = new Database(file);
  sql.pragma('journal_mode = WAL');
  sql.pragma('synchronous = NORMAL');
  sql.pragma('foreign_keys = ON');
  sql.pragma('busy_timeout = 5000');
  const { from, to } = migrate(sql);
  if (from !== to) log.info({ file, from, to }, 'database schema migrated');
  // Checkpoints happen in a worker thread (see checkpointer.ts), never inside an append.
  sql.pragma('wal_autocheckpoint = 0');
  const checkpointer = startCheckpointer(file, log, checkpointIntervalMs);
  return {
    sql,
    file,
    isOpen: () => sql.open,
    close() {
      if (!sql.open) return;
      void checkpointer.stop();
      try {
        sql.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        sql.close();
      }
    },
  };
}
