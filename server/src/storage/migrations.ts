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
  {
    version: 2,
    description: 'classroom: classes, roster, sessions, attendance, hands, chat settings, breakouts',
    up(db) {
      db.exec(`
        CREATE TABLE classes (
          id TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          max_participants INTEGER,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE roster (
          class_id TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
          user_id TEXT NOT NULL,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          added_at INTEGER NOT NULL,
          PRIMARY KEY (class_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          class_id TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
          title TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('scheduled', 'live', 'ended')),
          scheduled_start INTEGER,
          scheduled_end INTEGER,
          started_at INTEGER,
          ended_at INTEGER,
          max_participants INTEGER,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX sessions_by_class ON sessions (class_id, created_at);
        CREATE UNIQUE INDEX one_live_session_per_class ON sessions (class_id) WHERE state = 'live';
        CREATE TABLE attendance_people (
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          user_id TEXT NOT NULL,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          messages INTEGER NOT NULL DEFAULT 0,
          hands_raised INTEGER NOT NULL DEFAULT 0,
          speaking_ms INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (session_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE attendance_intervals (
          id INTEGER PRIMARY KEY,
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          user_id TEXT NOT NULL,
          joined_at INTEGER NOT NULL,
          left_at INTEGER
        );
        CREATE INDEX attendance_intervals_by_session ON attendance_intervals (session_id, user_id, joined_at);
        CREATE TABLE hands (
          id INTEGER PRIMARY KEY,
          class_id TEXT NOT NULL,
          session_id TEXT,
          user_id TEXT NOT NULL,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          group_id TEXT,
          raised_at INTEGER NOT NULL,
          lowered_at INTEGER,
          lowered_by TEXT
        );
        CREATE UNIQUE INDEX one_raised_hand_per_user ON hands (class_id, user_id) WHERE lowered_at IS NULL;
        CREATE TABLE chat_rooms (
          class_id TEXT NOT NULL,
          room TEXT NOT NULL,
          slow_mode_seconds INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (class_id, room)
        ) WITHOUT ROWID;
        CREATE TABLE chat_reads (
          class_id TEXT NOT NULL,
          room TEXT NOT NULL,
          user_id TEXT NOT NULL,
          read_seq INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (class_id, room, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE chat_mutes (
          class_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          until INTEGER,
          by_id TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (class_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE chat_audit (
          id INTEGER PRIMARY KEY,
          class_id TEXT NOT NULL,
          room TEXT NOT NULL,
          message_id TEXT NOT NULL,
          action TEXT NOT NULL CHECK (action IN ('edit', 'delete')),
          actor_id TEXT NOT NULL,
          actor_name TEXT NOT NULL,
          author_id TEXT NOT NULL,
          old_text TEXT NOT NULL,
          at INTEGER NOT NULL
        );
        CREATE INDEX chat_audit_by_room ON chat_audit (class_id, room, id);
        CREATE TABLE breakout_sets (
          id INTEGER PRIMARY KEY,
          class_id TEXT NOT NULL,
          session_id TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          closed_at INTEGER
        );
        CREATE UNIQUE INDEX one_open_breakout_set_per_class ON breakout_sets (class_id) WHERE state = 'open';
        CREATE TABLE breakout_groups (
          class_id TEXT PRIMARY KEY,
          set_id INTEGER NOT NULL REFERENCES breakout_sets (id) ON DELETE CASCADE,
          parent_class_id TEXT NOT NULL,
          group_id TEXT NOT NULL,
          name TEXT NOT NULL,
          position INTEGER NOT NULL
        );
        CREATE INDEX breakout_groups_by_set ON breakout_groups (set_id, position);
        CREATE TABLE breakout_members (
          set_id INTEGER NOT NULL REFERENCES breakout_sets (id) ON DELETE CASCADE,
          user_id TEXT NOT NULL,
          name TEXT NOT NULL,
          group_class_id TEXT NOT NULL,
          PRIMARY KEY (set_id, user_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 3,
    description: 'client_ids: which user writes under each Yjs client id of a document',
    up(db) {
      // user_id NULL: a client id found in a document written before this table existed whose author the
      // update log no longer knows; the first user to write under it claims it.
      db.exec(`
        CREATE TABLE client_ids (
          doc TEXT NOT NULL,
          client INTEGER NOT NULL,
          user_id TEXT,
          bound_at INTEGER NOT NULL,
          PRIMARY KEY (doc, client)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    description: 'removals: people staff removed from a class for the rest of a session',
    up(db) {
      db.exec(`
        CREATE TABLE removals (
          id INTEGER PRIMARY KEY,
          class_id TEXT NOT NULL,
          session_id TEXT,
          user_id TEXT NOT NULL,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          by_id TEXT NOT NULL,
          by_name TEXT NOT NULL,
          removed_at INTEGER NOT NULL,
          lifted_at INTEGER,
          lifted_by TEXT
        );
        CREATE UNIQUE INDEX one_active_removal_per_user ON removals (class_id, user_id) WHERE lifted_at IS NULL;
      `);
    },
  },
  {
    version: 6,
    description: "notifications: each person's inbox per main class",
    up(db) {
      // Version 5 is the polls' (branch polls); the two are numbered in the order they land.
      db.exec(`
        CREATE TABLE notifications (
          id INTEGER PRIMARY KEY,
          class_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          title TEXT NOT NULL,
          text TEXT NOT NULL,
          link TEXT,
          created_at INTEGER NOT NULL,
          read_at INTEGER
        );
        CREATE INDEX notifications_by_user ON notifications (user_id, class_id, id);
        CREATE INDEX notifications_unread ON notifications (user_id, class_id) WHERE read_at IS NULL;
      `);
    },
  },
  {
    version: 7,
    description: 'webhook_deliveries: the outbox of signed webhooks to course platforms',
    up(db) {
      db.exec(`
        CREATE TABLE webhook_deliveries (
          id TEXT PRIMARY KEY,
          event_id TEXT NOT NULL,
          event_type TEXT NOT NULL,
          url TEXT NOT NULL,
          body TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_error TEXT,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
        CREATE INDEX webhook_deliveries_by_state ON webhook_deliveries (state, created_at);
      `);
    },
  },
  {
    version: 8,
    description: 'polls: polls and quizzes per main class, one answer per person per question',
    up(db) {
      db.exec(`
        CREATE TABLE polls (
          id TEXT PRIMARY KEY,
          class_id TEXT NOT NULL,
          session_id TEXT,
          state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
          definition TEXT NOT NULL,
          created_by TEXT,
          created_at INTEGER NOT NULL,
          opened_at INTEGER,
          closed_at INTEGER,
          closes_at INTEGER,
          shown INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX polls_by_class ON polls (class_id, created_at);
        CREATE INDEX polls_by_session ON polls (session_id, opened_at);
        CREATE INDEX polls_open ON polls (state) WHERE state = 'open';
        CREATE TABLE poll_answers (
          poll_id TEXT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
          question INTEGER NOT NULL,
          user_id TEXT NOT NULL,
          name TEXT NOT NULL,
          value TEXT NOT NULL,
          correct INTEGER,
          marked INTEGER,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (poll_id, question, user_id)
        );
      `);
    },
  },
  {
    version: 9,
    description: 'handouts and workspace_receipts: exercises handed out to personal workspaces',
    up(db) {
      db.exec(`
        CREATE TABLE handouts (
          class_id TEXT PRIMARY KEY,
          revision INTEGER NOT NULL,
          files TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE workspace_receipts (
          class_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          revision INTEGER NOT NULL,
          received_at INTEGER NOT NULL,
          PRIMARY KEY (class_id, user_id)
        );
      `);
    },
  },
  {
    version: 10,
    description: 'edit_spans: when each clock range of each client id was written, kept after log pruning',
    up(db) {
      // One row per run of a client's edits (storage/EditSpans.ts); pruning of `updates` never touches it.
      db.exec(`
        CREATE TABLE edit_spans (
          doc TEXT NOT NULL,
          client INTEGER NOT NULL,
          clock_from INTEGER NOT NULL,
          clock_to INTEGER NOT NULL,
          first_ts INTEGER NOT NULL,
          last_ts INTEGER NOT NULL,
          user_id TEXT,
          edits INTEGER NOT NULL,
          max_insert INTEGER NOT NULL,
          PRIMARY KEY (doc, client, clock_from)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 11,
    description: 'recordings: one row per recording of a session, its manifest as JSON',
    up(db) {
      db.exec(`
        CREATE TABLE recordings (
          id TEXT PRIMARY KEY,
          session_id TEXT NOT NULL,
          class_id TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('scheduled', 'recording', 'stopped', 'failed')),
          started_at INTEGER,
          stopped_at INTEGER,
          manifest TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX recordings_by_session ON recordings (session_id, created_at);
        CREATE INDEX recordings_by_state ON recordings (state);
        CREATE INDEX recordings_by_stop ON recordings (stopped_at) WHERE stopped_at IS NOT NULL;
      `);
    },
  },
  {
    version: 12,
    description: 'class timeline: timeline_events, doc_checkpoints, classes.replay_for_students',
    up(db) {
      // timeline_events: facts stored with no time elsewhere (announcements, locks, follow-me and spotlight);
      // doc_checkpoints: a document's state as of log entry `seq` (written at `ts`), for seeking (timeline/).
      // replay_for_students NULL: the server default (RECORDINGS_STUDENTS_MAY_WATCH).
      db.exec(`
        ALTER TABLE classes ADD COLUMN replay_for_students INTEGER;
        CREATE TABLE timeline_events (
          id INTEGER PRIMARY KEY,
          class_id TEXT NOT NULL,
          at INTEGER NOT NULL,
          kind TEXT NOT NULL,
          actor_id TEXT,
          actor_name TEXT,
          data TEXT NOT NULL
        );
        CREATE INDEX timeline_events_by_class ON timeline_events (class_id, at, id);
        CREATE TABLE doc_checkpoints (
          doc TEXT NOT NULL,
          seq INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          state BLOB NOT NULL,
          PRIMARY KEY (doc, seq)
        );
        CREATE INDEX doc_checkpoints_by_ts ON doc_checkpoints (doc, ts);
      `);
    },
  },
  {
    version: 13,
    description:
      'class_fences: the greatest cluster lease token per class; PostgreSQL refuses writes under an older one',
    // Kept in step with PostgreSQL's v13; a cluster runs on PostgreSQL only, so SQLite never writes it.
    up(db) {
      db.exec(`
        CREATE TABLE class_fences (
          class_id TEXT PRIMARY KEY,
          token INTEGER NOT NULL
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
