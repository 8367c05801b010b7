// The handout storage contract, run against every engine (SQLite and PostgreSQL) with the same cases: a
// class's handout with its revision counting up, kept over a restart; receipts per student, replaced by
// later ones, listed by user id; classes kept apart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

const files = [
  { id: 'main', name: 'main.py', content: 'print("hi")\n' },
  { id: 'util', name: 'util.py', content: '' },
];

describe.each(STORAGE_ENGINES)('handout storage contract: %s', (engine) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('publishes revisions 1, 2, ... per class and keeps the latest over a restart', async () => {
    expect(await t.storage.handouts.current('c1')).toBeNull();
    const first = await t.storage.handouts.publish('c1', files, 'ida', 1000);
    expect(first).toEqual({ classId: 'c1', revision: 1, files, createdBy: 'ida', createdAt: 1000 });
    const second = await t.storage.handouts.publish('c1', [files[0]!], 'ben', 2000);
    expect(second.revision).toBe(2);
    expect(await t.storage.handouts.publish('c2', files, 'ida', 3000)).toMatchObject({ revision: 1 });
    const storage = await t.restart();
    expect(await storage.handouts.current('c1')).toEqual({
      classId: 'c1',
      revision: 2,
      files: [files[0]],
      createdBy: 'ben',
      createdAt: 2000,
    });
    expect((await storage.handouts.current('c2'))?.files).toEqual(files);
  });

  it('records receipts per student, a later one replacing an earlier, listed by user id', async () => {
    const { handouts } = t.storage;
    expect(await handouts.receipt('c1', 'sam')).toBeNull();
    await handouts.markReceived('c1', 'sam', 1, 1000);
    await handouts.markReceived('c1', 'ana', 1, 1100);
    await handouts.markReceived('c1', 'sam', 2, 2000);
    await handouts.markReceived('c2', 'sam', 5, 3000);
    expect(await handouts.receipt('c1', 'sam')).toEqual({ userId: 'sam', revision: 2, receivedAt: 2000 });
    expect(await handouts.receipts('c1')).toEqual([
      { userId: 'ana', revision: 1, receivedAt: 1100 },
      { userId: 'sam', revision: 2, receivedAt: 2000 },
    ]);
    expect(await handouts.receipts('c3')).toEqual([]);
  });
});
