// All stores on SQLite under DATA_DIR: the synchronous stores the server has always used, each behind its
// async contract (asyncFacade.ts). `db` stays reachable for tests and benchmarks that look inside.
import { AttendanceStore } from '../../classroom/AttendanceStore.ts';
import { BreakoutStore } from '../../classroom/BreakoutStore.ts';
import { ChatStore } from '../../classroom/ChatStore.ts';
import { ClassStore } from '../../classroom/ClassStore.ts';
import { HandStore } from '../../classroom/HandStore.ts';
import { SessionStore } from '../../classroom/SessionStore.ts';
import type { Logger } from '../../logger.ts';
import { type Db, type OpenOptions, openDatabase } from '../db.ts';
import type { Storage } from '../Storage.ts';
import type { SessionStorage } from '../types/sessions.ts';
import { VersionStore } from '../VersionStore.ts';
import { asyncFacade } from './asyncFacade.ts';
import { SqliteClassLockStorage } from './SqliteClassLockStorage.ts';
import { SqliteDocumentStorage } from './SqliteDocumentStorage.ts';
import { SqliteHandoutStorage } from './SqliteHandoutStorage.ts';
import { SqliteNotificationStorage } from './SqliteNotificationStorage.ts';
import { SqlitePollStorage } from './SqlitePollStorage.ts';
import { SqliteRecordingStorage } from './SqliteRecordingStorage.ts';
import { SqliteRemovalStorage } from './SqliteRemovalStorage.ts';
import { SqliteTimelineStorage } from './SqliteTimelineStorage.ts';
import { SqliteWebhookStorage } from './SqliteWebhookStorage.ts';

export interface SqliteStorageOptions extends OpenOptions {
  dataDir: string;
  historyRetentionDays: number;
  foldIntervalMs?: number;
  log: Logger;
  now?: () => number;
}

export interface SqliteStorage extends Storage {
  engine: 'sqlite';
  db: Db;
}

export function openSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const { dataDir, log, historyRetentionDays, foldIntervalMs, now, ...openOptions } = options;
  const db = openDatabase(dataDir, log.child({ mod: 'db' }), openOptions);
  const documents = new SqliteDocumentStorage(db, {
    historyRetentionDays,
    foldIntervalMs,
    now,
    log: log.child({ mod: 'store' }),
  });
  const sessionStore = new SessionStore(db);
  const sessions: SessionStorage = {
    ...asyncFacade(sessionStore, ['get', 'list', 'live', 'create', 'start', 'end', 'require']),
    forget: (classId) => sessionStore.forget(classId),
  };
  let closed = false;
  return {
    engine: 'sqlite',
    db,
    documents,
    updateLog: documents,
    clientIds: documents,
    editSpans: documents,
    versions: asyncFacade(new VersionStore(db), ['create', 'list', 'get']),
    locks: new SqliteClassLockStorage(db),
    classes: asyncFacade(new ClassStore(db), [
      'get',
      'list',
      'create',
      'ensure',
      'update',
      'remove',
      'roster',
      'rosterMember',
      'replaceRoster',
      'upsertMember',
      'removeMember',
    ]),
    sessions,
    attendance: asyncFacade(new AttendanceStore(db), [
      'join',
      'leave',
      'leaveAll',
      'closeDangling',
      'countMessage',
      'countHand',
      'addSpeaking',
      'people',
      'intervals',
    ]),
    breakouts: asyncFacade(new BreakoutStore(db), [
      'create',
      'openSet',
      'latestSet',
      'set',
      'close',
      'groups',
      'group',
      'rootOf',
    ]),
    chat: asyncFacade(new ChatStore(db), [
      'slowModeSeconds',
      'setSlowMode',
      'readSeq',
      'markRead',
      'mute',
      'unmute',
      'muteState',
      'audit',
      'auditLog',
    ]),
    hands: asyncFacade(new HandStore(db), ['raise', 'lower', 'lowerAll', 'queue', 'isRaised']),
    removals: new SqliteRemovalStorage(db),
    notifications: new SqliteNotificationStorage(db),
    polls: new SqlitePollStorage(db),
    webhooks: new SqliteWebhookStorage(db),
    handouts: new SqliteHandoutStorage(db),
    recordings: new SqliteRecordingStorage(db),
    timeline: new SqliteTimelineStorage(db, () => documents.store.fold()),
    isOpen: () => !closed && db.isOpen(),
    ping: async () => ({ ok: !closed && db.isOpen(), detail: 'sqlite' }),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await documents.close();
      } finally {
        db.close();
      }
    },
  };
}
