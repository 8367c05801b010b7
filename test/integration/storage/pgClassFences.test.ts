// Fencing of cluster writes in PostgreSQL (ClassFences.ts): two storages on one schema play a stale owner and
// the new owner of a class. Once the new owner raised the class's fence, the stale owner's appends are refused
// by the database (and reported, so they are never acknowledged) and its snapshots too, while the new owner's
// go in; documents of other classes in the same group commit are not affected.
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WriteFence } from '../../../server/src/storage/pg/ClassFences.ts';
import { openPgStorage, type PgStorage } from '../../../server/src/storage/pg/openPgStorage.ts';
import { createTestSchema, type PgTestSchema } from '../../helpers/pg.ts';

const log = pino({ level: 'silent' });

function edits(count: number, from = 0): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = 1000 + from;
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < count; i++) doc.getText('t').insert(i, 'x');
  return out;
}

describe('class fences on PostgreSQL', () => {
  let schema: PgTestSchema;
  const opened: PgStorage[] = [];
  beforeEach(async () => {
    schema = await createTestSchema();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await schema.drop();
  });

  /** A node's storage whose writes to class `c1` are made under `lease.token`. */
  async function node(lease: { token: number }) {
    const storage = await openPgStorage({ url: schema.schemaUrl, historyRetentionDays: 0, log });
    opened.push(storage);
    const fenced: string[] = [];
    storage.documents.useFences(
      (name): WriteFence | undefined =>
        name.startsWith('c1/') ? { classId: 'c1', token: lease.token } : { classId: 'c2', token: 1 },
      (docs) => fenced.push(...docs),
    );
    return { storage, fenced, documents: storage.documents };
  }

  it('a stale owner’s appends and snapshots are refused once the new owner raised the fence', async () => {
    const stale = await node({ token: 1 });
    await stale.storage.fences.raise('c1', 1);
    await stale.storage.fences.raise('c2', 1);
    await stale.documents.load('c1/code/main');
    await stale.documents.load('c2/code/main');
    const [first, second, third] = edits(3);
    await stale.documents.append('c1/code/main', first!, 'ana').durable;
    expect(stale.fenced).toEqual([]);

    // The new owner takes the class over: fence first, then it loads what is there.
    const next = await node({ token: 2 });
    await next.storage.fences.raise('c1', 2);
    expect(await next.storage.fences.tokenOf('c1')).toBe(2);
    const loaded = await next.documents.load('c1/code/main');
    expect(loaded.seq).toBe(1);

    // The stale owner writes on under token 1, in one group commit with another class's update: refused and
    // reported for c1 only.
    const c2 = edits(1, 7)[0]!;
    const refused = stale.documents.append('c1/code/main', second!, 'ana');
    const other = stale.documents.append('c2/code/main', c2, 'bob');
    await Promise.all([refused.durable, other.durable]);
    expect(stale.fenced).toEqual(['c1/code/main']);
    await expect(stale.documents.saveSnapshot('c1/code/main', new Uint8Array([0, 0]), 2)).rejects.toThrow(
      /newer lease/,
    );

    // The new owner's own next update takes seq 2, which the stale one had tried to take.
    await next.documents.append('c1/code/main', third!, 'ana').durable;
    expect(next.fenced).toEqual([]);
    await next.documents.saveSnapshot('c1/code/main', Y.mergeUpdates([first!, third!]), 2);
    const history = await next.documents.history('c1/code/main');
    expect(history.map((h) => h.seq)).toEqual([1, 2]);
    expect((await next.documents.history('c2/code/main')).map((h) => h.userId)).toEqual(['bob']);
  });

  it('a fence is never lowered', async () => {
    const a = await node({ token: 5 });
    await a.storage.fences.raise('c1', 5);
    await a.storage.fences.raise('c1', 3);
    expect(await a.storage.fences.tokenOf('c1')).toBe(5);
  });
});
