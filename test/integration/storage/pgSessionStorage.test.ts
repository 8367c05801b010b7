// PostgreSQL session storage beyond the contract: the cached live session of a class stays right when a read
// of it is under way while the session starts or ends (the classroom asks on every connection and message).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PgStorage } from '../../../server/src/storage/pg/openPgStorage.ts';
import { PgSessionStorage } from '../../../server/src/storage/pg/PgSessionStorage.ts';
import type { PgPool } from '../../../server/src/storage/pg/pool.ts';
import { openTestStorage, type TestStorage } from '../../helpers/storageEngines.ts';

const LIVE_QUERY = /state = 'live'$/;

/** The pool, except that the answer to the next live-session read is held until `release()`. */
function holdNextLiveRead(pool: PgPool): { pool: PgPool; release(): void; held: Promise<void> } {
  let release = () => {};
  let markHeld = () => {};
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  let armed = true;
  const gated = new Proxy(pool, {
    get(target, key) {
      if (key !== 'query') return Reflect.get(target, key);
      return async (text: string, values?: unknown[]) => {
        const answer = await target.query(text, values);
        if (!armed || !LIVE_QUERY.test(text.trim())) return answer;
        armed = false;
        markHeld();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return answer;
      };
    },
  });
  return { pool: gated, release: () => release(), held };
}

describe('PostgreSQL session storage', () => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage('postgres');
    await t.storage.classes.ensure('c1');
  });
  afterEach(async () => {
    await t.dispose();
  });

  const newSession = () =>
    t.storage.sessions.create({
      classId: 'c1',
      title: 'S',
      scheduledStart: null,
      scheduledEnd: null,
      maxParticipants: null,
    });

  it('a read answered before a start but returning after it is not cached', async () => {
    const session = await newSession();
    const gate = holdNextLiveRead((t.storage as PgStorage).pool);
    const sessions = new PgSessionStorage(gate.pool);
    const staleRead = sessions.live('c1');
    await gate.held;
    await sessions.start(session.id);
    gate.release();
    expect(await staleRead).toBeNull();
    expect((await sessions.live('c1'))?.id).toBe(session.id);
  });

  it('a read answered before an end but returning after it is not cached', async () => {
    const session = await newSession();
    await t.storage.sessions.start(session.id);
    const gate = holdNextLiveRead((t.storage as PgStorage).pool);
    const sessions = new PgSessionStorage(gate.pool);
    const staleRead = sessions.live('c1');
    await gate.held;
    await sessions.end(session.id);
    gate.release();
    expect((await staleRead)?.id).toBe(session.id);
    expect(await sessions.live('c1')).toBeNull();
  });
});
