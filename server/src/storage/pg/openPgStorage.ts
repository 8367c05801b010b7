// All stores on PostgreSQL (DATABASE_URL): one pool, the schema migrated at open, a store per concern.
import type { Logger } from '../../logger.ts';
import type { Storage } from '../Storage.ts';
import { PgClassFences } from './ClassFences.ts';
import { migratePg } from './migrations.ts';
import { PgAttendanceStorage } from './PgAttendanceStorage.ts';
import { PgBreakoutStorage } from './PgBreakoutStorage.ts';
import { PgChatStorage } from './PgChatStorage.ts';
import { PgClassLockStorage } from './PgClassLockStorage.ts';
import { PgClassStorage } from './PgClassStorage.ts';
import { PgDocumentStorage } from './PgDocumentStorage.ts';
import { PgHandoutStorage } from './PgHandoutStorage.ts';
import { PgHandStorage } from './PgHandStorage.ts';
import { PgNotificationStorage } from './PgNotificationStorage.ts';
import { PgPollStorage } from './PgPollStorage.ts';
import { PgRecordingStorage } from './PgRecordingStorage.ts';
import { PgRemovalStorage } from './PgRemovalStorage.ts';
import { PgSessionStorage } from './PgSessionStorage.ts';
import { PgTimelineStorage } from './PgTimelineStorage.ts';
import { PgVersionStorage } from './PgVersionStorage.ts';
import { PgWebhookStorage } from './PgWebhookStorage.ts';
import { createPgPinger, createPgPool, type PgPool, type PgPoolOptions } from './pool.ts';

export interface PgStorageOptions extends PgPoolOptions {
  url: string;
  historyRetentionDays: number;
  groupCommitDelayMs?: number;
  log: Logger;
  now?: () => number;
}

export interface PgStorage extends Storage {
  engine: 'postgres';
  pool: PgPool;
  /** Cluster only: lease tokens per class, and the document storage's fencing by them (ClassFences.ts). */
  fences: PgClassFences;
  documents: PgDocumentStorage;
}

export async function openPgStorage(options: PgStorageOptions): Promise<PgStorage> {
  const { url, log, historyRetentionDays, groupCommitDelayMs, now, ...poolOptions } = options;
  const pool = createPgPool(url, poolOptions);
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (error) => log.warn({ err: error }, 'postgres: idle connection lost'));
  try {
    const { from, to } = await migratePg(pool);
    if (from !== to) log.info({ from, to }, 'database schema migrated');
  } catch (error) {
    await pool.end();
    throw error;
  }
  const documents = new PgDocumentStorage(pool, {
    historyRetentionDays,
    groupCommitDelayMs,
    now,
    log: log.child({ mod: 'store' }),
  });
  const ping = createPgPinger(pool);
  let closed = false;
  return {
    engine: 'postgres',
    pool,
    fences: new PgClassFences(pool),
    documents,
    updateLog: documents,
    clientIds: documents,
    editSpans: documents,
    versions: new PgVersionStorage(pool),
    locks: new PgClassLockStorage(pool),
    classes: new PgClassStorage(pool),
    sessions: new PgSessionStorage(pool),
    attendance: new PgAttendanceStorage(pool),
    breakouts: new PgBreakoutStorage(pool),
    chat: new PgChatStorage(pool),
    hands: new PgHandStorage(pool),
    removals: new PgRemovalStorage(pool),
    notifications: new PgNotificationStorage(pool),
    polls: new PgPollStorage(pool),
    webhooks: new PgWebhookStorage(pool),
    handouts: new PgHandoutStorage(pool),
    recordings: new PgRecordingStorage(pool),
    timeline: new PgTimelineStorage(pool, () => documents.flush()),
    isOpen: () => !closed,
    ping: async (timeoutMs) => (closed ? { ok: false, detail: 'postgres: closed' } : ping(timeoutMs)),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await documents.close();
      } finally {
        await pool.end();
      }
    },
  };
}
