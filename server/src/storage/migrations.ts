// Schema migrations, applied in order inside one transaction each; PRAGMA user_version records progress.
// Never edit a released migration: add a new one, so databases written by older versions keep opening.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'documents, update log, versions, class locks',
    up(db) {
      db.exec(`
        CREATE TABLE documents (
          name TEXT PRIMARY KEY,
          created_at INTEGER NOT NULL,
          snapshot BLOB,
          snapshot_seq INTEGER NOT NULL DEFAULT 0,
          snapshot_at INTEGER
        );
        CREATE TABLE updates (
          doc TEXT NOT NULL,
          seq INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          user_id TEXT,
          data BLOB NOT NULL,
          PRIMARY KEY (doc, seq)
        ) WITHOUT ROWID;
        CREATE TABLE versions (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          doc TEXT NOT NULL,
          label TEXT NOT NULL,
          author_id TEXT,
          author_name TEXT,
          created_at INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          state BLOB NOT NULL
        );
        CREATE INDEX versions_by_doc ON versions (doc, id);
        CREATE TABLE class_locks (
          class_id TEXT PRIMARY KEY,
          code_locked INTEGER NOT NULL DEFAULT 0,
          board_locked INTEGER NOT NULL DEFAULT 0,
          updated_at INTEGER NOT NULL
        );
      `);
    },
  },
];

/** Applies pending migrations; refuses a database from a newer Tandem rather than corrupt it. */
export function migrate(
  db: Database.Database,
  migrations: Migration[] = MIGRATIONS,
): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new Error(`database schema version ${from} is newer than this Tandem (${latest}); upgrade Tandem`);
  }
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: Math.max(from, latest) };
}
