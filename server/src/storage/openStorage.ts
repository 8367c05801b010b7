// The engine factory: PostgreSQL when a database URL is configured, else SQLite under the data directory. The
// PostgreSQL engine (and the pg driver) is loaded only when it is used, so a single node on SQLite carries none of it.
import type { Logger } from '../logger.ts';
import type { PgStorage } from './pg/openPgStorage.ts';
import type { Storage } from './Storage.ts';
import { openSqliteStorage, type SqliteStorage } from './sqlite/openSqliteStorage.ts';

export type StorageConfig =
  | { engine: 'sqlite'; dataDir: string; fileName?: string; checkpointIntervalMs?: number }
  | { engine: 'postgres'; url: string; schema?: string; poolSize?: number; groupCommitDelayMs?: number };

export interface StorageOptions {
  historyRetentionDays: number;
  /** SQLite: how long journaled updates wait before they are folded into the database. */
  foldIntervalMs?: number;
  log: Logger;
  /** The clock of the update log (tests move it to make entries old enough to prune). */
  now?: () => number;
}

export type OpenedStorage = SqliteStorage | PgStorage;

export async function openStorage(config: StorageConfig, options: StorageOptions): Promise<OpenedStorage> {
  switch (config.engine) {
    case 'sqlite':
      return openSqliteStorage({ ...options, ...config });
    case 'postgres': {
      const { openPgStorage } = await import('./pg/openPgStorage.ts');
      return openPgStorage({
        url: config.url,
        schema: config.schema,
        max: config.poolSize,
        groupCommitDelayMs: config.groupCommitDelayMs,
        historyRetentionDays: options.historyRetentionDays,
        log: options.log,
        now: options.now,
      });
    }
  }
}

export type { Storage };
