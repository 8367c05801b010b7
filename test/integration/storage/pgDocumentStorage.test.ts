// What only the PostgreSQL engine does: group commit (many appends, one commit, acknowledged together), a
// failed commit retried until it succeeds, and migrations that run once and refuse a newer schema.
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PG_MIGRATIONS } from '../../../server/src/storage/pg/migrations.ts';
import { openPgStorage } from '../../../server/src/storage/pg/openPgStorage.ts';
import { quoteIdent } from '../../../server/src/storage/pg/pool.ts';
import { createTestSchema, type PgTestSchema } from '../../helpers/pg.ts';
import { openTestStorage } from '../../helpers/storageEngines.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const logLines: string[] = [];
const log = pino({ level: 'error' }, { write: (line: string) => void logLines.push(line) });

function updates(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < count; i++) doc.getText('t').insert(i, 'x');
  return out;
}

describe('PostgreSQL document storage', () => {
  let schema: PgTestSchema;
  let other: pg.Client;
  const count = async (sql = 'SELECT COUNT(*)::int AS n FROM updates') =>
    ((await other.query(sql)).rows[0] as { n: number }).n;

  beforeEach(async () => {
    schema = await createTestSchema();
    other = new pg.Client({
      connectionString: schema.url,
      options: `-c search_path=${quoteIdent(schema.schema)}`,
    });
    await other.connect();
  });
  afterEach(async () => {
    await other.end();
    await schema.drop();
  });

  const open = (groupCommitDelayMs?: number) =>
    openPgStorage({
      url: schema.url,
      schema: schema.schema,
      historyRetentionDays: 0,
      groupCommitDelayMs,
      log,
    });

  it('commits the appends of one burst together; once durable, another connection sees every row', async () => {
    const storage = await open(5);
    try {
      await storage.documents.load('c/code/g');
      const appended = updates(50).map((u) => storage.documents.append('c/code/g', u, 'ana'));
      // One batch: every append waits on the same commit.
      expect(new Set(appended.map((a) => a.durable)).size).toBe(1);
      await appended.at(-1)!.durable;
      expect(await count()).toBe(50);
    } finally {
      await storage.close();
    }
  });

  it('collects appends that arrive during a commit into the next one', async () => {
    const storage = await open(0);
    try {
      await storage.documents.load('c/code/n');
      const [first, ...rest] = updates(21);
      // Hold the table so the first commit stays in flight until this test lets it go.
      await other.query('BEGIN');
      await other.query('LOCK TABLE updates IN EXCLUSIVE MODE');
      const a = storage.documents.append('c/code/n', first!, null);
      await waitFor(async () => {
        // Inside a transaction the activity view is a snapshot taken once: clear it to see the present.
        await other.query('SELECT pg_stat_clear_snapshot()');
        const waiting = await other.query(
          // The statement may start with the edit spans' WITH part.
          "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO updates (doc%'",
        );
        return waiting.rowCount === 1;
      });
      const later = rest.map((u) => storage.documents.append('c/code/n', u, null));
      expect(later.every((l) => l.durable === later[0]!.durable)).toBe(true);
      expect(later[0]!.durable).not.toBe(a.durable);
      await other.query('COMMIT');
      await later[0]!.durable;
      expect(await count()).toBe(21);
    } finally {
      await storage.close();
    }
  });

  it('keeps a failed commit unacknowledged and retries it until it succeeds', async () => {
    const storage = await open();
    try {
      await storage.documents.load('c/code/f');
      await other.query('ALTER TABLE updates RENAME TO updates_away');
      let durable = false;
      const appended = storage.documents.append('c/code/f', updates(1)[0]!, 'ana');
      void appended.durable!.then(() => {
        durable = true;
      });
      const failed = () => logLines.filter((l) => l.includes('update log commit failed')).length;
      const before = failed();
      await waitFor(() => failed() >= before + 2, { message: 'the commit failed and was retried' });
      expect(durable).toBe(false);
      await other.query('ALTER TABLE updates_away RENAME TO updates');
      await waitFor(() => durable, { timeoutMs: 10_000 });
      expect(await count()).toBe(1);
    } finally {
      await storage.close();
    }
  });

  it('migrates a new schema once, and refuses one written by a newer Tandem', async () => {
    await (await open()).close();
    expect(
      ((await other.query('SELECT version FROM tandem_schema')).rows[0] as { version: number }).version,
    ).toBe(PG_MIGRATIONS.at(-1)!.version);
    await (await open()).close();
    await other.query('UPDATE tandem_schema SET version = 99');
    await expect(open()).rejects.toThrow(/newer than this Tandem/);
  });
});

describe('SQLite document storage', () => {
  it('is durable when append returns: the journal write, nothing to wait for', async () => {
    const t = await openTestStorage('sqlite');
    try {
      await t.storage.documents.load('c/code/s');
      expect(t.storage.documents.append('c/code/s', updates(1)[0]!, null).durable).toBeNull();
    } finally {
      await t.dispose();
    }
  });
});
