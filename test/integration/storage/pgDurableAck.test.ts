// On PostgreSQL an update is acknowledged, and relayed to others, only once its group commit has landed: while
// the commit is held up, the sender's change stays unacknowledged and nobody else has it (a peer holding a change
// the server could still lose would be refused for it after a crash: collab/durableRelay.ts); the ack and the
// relay follow the commit, which also carries the binding of the sender's client id.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../../server/src/storage/pg/pool.ts';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { createTestSchema, type PgTestSchema } from '../../helpers/pg.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

describe('durable acknowledgement on PostgreSQL', () => {
  let schema: PgTestSchema;
  let server: TestServer;
  let other: pg.Client;
  const clients: CollabClient[] = [];

  beforeEach(async () => {
    schema = await createTestSchema();
    server = await startTestServer({ DATABASE_URL: schema.schemaUrl });
    other = new pg.Client({
      connectionString: schema.url,
      options: `-c search_path=${quoteIdent(schema.schema)}`,
    });
    await other.connect();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await other.end();
    await server.stop();
    await schema.drop();
  });

  it('holds the ack and the relay until the update is committed', async () => {
    const student = connectCollab(
      server,
      'class1/code/main',
      await server.token({ sub: 'ana', role: 'student' }),
    );
    const teacher = connectCollab(
      server,
      'class1/code/main',
      await server.token({ sub: 'ida', role: 'instructor' }),
    );
    clients.push(student, teacher);
    await Promise.all([student.synced(), teacher.synced()]);
    expect(await waitFor(() => server.tandem.ctx.storage.engine)).toBe('postgres');

    const held = () => server.tandem.ctx.metrics.counts.heldUntilDurable;
    const heldBefore = held();
    // Hold the update log so the next commit waits.
    await other.query('BEGIN');
    await other.query('LOCK TABLE updates IN EXCLUSIVE MODE');
    student.doc.getText('t').insert(0, 'typed');
    await waitFor(async () => {
      // Inside a transaction the activity view is a snapshot taken once: clear it to see the present.
      await other.query('SELECT pg_stat_clear_snapshot()');
      // The student's first update binds its client id: the statement starts WITH bound AS (...).
      const waiting = await other.query(
        "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO updates%'",
      );
      return waiting.rowCount === 1;
    });
    // The server has applied the update and held the teacher's copy and the student's ack: neither is sent.
    await waitFor(() => held() >= heldBefore + 2);
    expect(teacher.doc.getText('t').toString()).toBe('');
    expect(student.provider.unsyncedChanges).toBeGreaterThan(0);
    const ownerOfStudent = async () =>
      (
        await other.query('SELECT user_id FROM client_ids WHERE doc = $1 AND client = $2', [
          'class1/code/main',
          student.doc.clientID,
        ])
      ).rows[0]?.user_id as string | undefined;
    // The binding waits in the same statement as the update.
    expect(await ownerOfStudent()).toBeUndefined();

    await other.query('COMMIT');
    await student.saved();
    await waitFor(() => teacher.doc.getText('t').toString() === 'typed');
    const logged = await other.query('SELECT COUNT(*)::int AS n FROM updates');
    expect((logged.rows[0] as { n: number }).n).toBeGreaterThan(0);
    expect(await ownerOfStudent()).toBe('ana');
  });
});
