import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { startCheckpointer } from '../../server/src/storage/checkpointer.ts';
import { openDatabase } from '../../server/src/storage/db.ts';
import { waitFor } from '../helpers/waitFor.ts';

/** The WAL header's salt changes whenever SQLite restarts the log, which needs every frame checkpointed. */
const walSalt = (file: string) => fs.readFileSync(`${file}-wal`).subarray(16, 20).toString('hex');

it('checkpoints happen off the serving connection, so the WAL is restarted without auto-checkpoints', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-wal-'));
  // Checkpoints every 200 ms instead of every 5 s, so the test waits for the behaviour, not the interval.
  const db = openDatabase(dir, pino({ level: 'silent' }), { checkpointIntervalMs: 200 });
  try {
    expect(db.sql.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.sql.prepare(
      'INSERT INTO updates (doc, seq, ts, user_id, data) VALUES (?, ?, ?, NULL, ?)',
    );
    let seq = 0;
    for (; seq < 300; seq++) insert.run('c/code/k', seq, Date.now(), Buffer.alloc(512, seq % 256));
    const before = walSalt(path.join(dir, 'tandem.db'));
    await waitFor(
      () => {
        insert.run('c/code/k', seq++, Date.now(), Buffer.alloc(16));
        return walSalt(path.join(dir, 'tandem.db')) !== before;
      },
      { timeoutMs: 8000, intervalMs: 100 },
    );
  } finally {
    db.close();
  }
}, 15_000);

it('a checkpointer that cannot open the database logs and never takes the process down', async () => {
  const lines: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  const checkpointer = startCheckpointer(path.join(os.tmpdir(), 'tandem-missing-dir', 'nope.db'), log);
  await waitFor(() => lines.some((l) => l.includes('WAL checkpointer stopped')));
  await checkpointer.stop();
});
