// The notification storage contract, run against every engine (SQLite and PostgreSQL) with the same cases:
// batches in input order, each person's own inbox newest first with paging, read marks that only touch the
// caller's own rows, and the per-person cap that prunes the oldest.
import { NOTIFICATIONS_KEPT_PER_USER } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgNotificationStorage } from '../../../server/src/storage/pg/PgNotificationStorage.ts';
import { SqliteNotificationStorage } from '../../../server/src/storage/sqlite/SqliteNotificationStorage.ts';
import type {
  NewNotification,
  NotificationStorage,
} from '../../../server/src/storage/types/notifications.ts';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

/** The page `inbox` reads, without its count. */
const listOf = async (store: NotificationStorage, ...args: Parameters<NotificationStorage['inbox']>) =>
  (await store.inbox(...args)).notifications;

const note = (userId: string, text: string, extra: Partial<NewNotification> = {}): NewNotification => ({
  userId,
  kind: 'announcement',
  title: 'Announcement from Ida',
  text,
  link: null,
  ...extra,
});

describe.each(STORAGE_ENGINES)('notification storage contract: %s', (engine) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  /** A store over the same engine with a small cap, to see pruning without writing 500 rows per person. */
  const withCap = (keep: number): NotificationStorage =>
    t.storage.engine === 'sqlite'
      ? new SqliteNotificationStorage(t.storage.db, keep)
      : new PgNotificationStorage(t.storage.pool, keep);

  it('stores a batch in input order and lists each person their own, newest first, over a restart', async () => {
    const { notifications } = t.storage;
    const link = { type: 'chat' as const, classId: 'c1', room: 'main', messageId: 'm3-abc' };
    const stored = await notifications.add(
      'c1',
      [note('ana', 'one'), note('ben', 'one'), note('ana', 'two', { kind: 'mention', link })],
      1000,
    );
    expect(stored.map((n) => [n.userId, n.text])).toEqual([
      ['ana', 'one'],
      ['ben', 'one'],
      ['ana', 'two'],
    ]);
    expect(stored[2]).toMatchObject({ classId: 'c1', kind: 'mention', link, createdAt: 1000, readAt: null });
    await notifications.add('c2', [note('ana', 'other class')], 2000);

    const again = (await t.restart()).notifications;
    const anas = await listOf(again, 'c1', 'ana', { limit: 10 });
    expect(anas.map((n) => n.text)).toEqual(['two', 'one']);
    expect(anas[0]).toEqual(stored[2]);
    expect((await listOf(again, 'c1', 'ben', { limit: 10 })).map((n) => n.text)).toEqual(['one']);
    expect((await listOf(again, 'c2', 'ana', { limit: 10 })).map((n) => n.text)).toEqual(['other class']);
    expect(await again.unreadCount('c1', 'ana')).toBe(2);
    expect(await again.add('c1', [], 3000)).toEqual([]);
  });

  it('pages with limit, after (newer) and before (older)', async () => {
    const { notifications } = t.storage;
    const stored = await notifications.add(
      'c1',
      ['a', 'b', 'c', 'd', 'e'].map((x) => note('ana', x)),
      1,
    );
    const ids = stored.map((n) => n.id);
    expect((await listOf(notifications, 'c1', 'ana', { limit: 2 })).map((n) => n.text)).toEqual(['e', 'd']);
    expect(
      (await listOf(notifications, 'c1', 'ana', { limit: 2, before: ids[3] })).map((n) => n.text),
    ).toEqual(['c', 'b']);
    expect(
      (await listOf(notifications, 'c1', 'ana', { limit: 10, after: ids[2] })).map((n) => n.text),
    ).toEqual(['e', 'd']);
  });

  it('reads a page and the unread count together; an empty page still has the count', async () => {
    const { notifications } = t.storage;
    const stored = await notifications.add(
      'c1',
      ['a', 'b', 'c'].map((x) => note('ana', x)),
      1,
    );
    await notifications.markRead('c1', 'ana', [stored[0]!.id], 2);
    const inbox = await notifications.inbox('c1', 'ana', { limit: 2 });
    expect(inbox.notifications.map((n) => n.text)).toEqual(['c', 'b']);
    expect(inbox.notifications[0]).toMatchObject({ userId: 'ana', classId: 'c1', readAt: null });
    expect(inbox.unreadCount).toBe(2);
    expect(await notifications.inbox('c1', 'ana', { limit: 5, after: stored[2]!.id })).toEqual({
      notifications: [],
      unreadCount: 2,
    });
    expect(await notifications.inbox('c1', 'nobody', { limit: 5 })).toEqual({
      notifications: [],
      unreadCount: 0,
    });
  });

  it('marks only the caller’s own unread ones read, one by one or all', async () => {
    const { notifications } = t.storage;
    const [a1, b1, a2, a3] = await notifications.add(
      'c1',
      [note('ana', '1'), note('ben', '1'), note('ana', '2'), note('ana', '3')],
      1,
    );
    const [other] = await notifications.add('c2', [note('ana', 'c2')], 1);
    // Ben's id and Ana's row of another class are not Ana's here: nothing happens to them.
    expect(await notifications.markRead('c1', 'ana', [a1!.id, b1!.id, other!.id, a1!.id, 999_999], 50)).toBe(
      1,
    );
    expect(await notifications.markRead('c1', 'ana', [a1!.id], 60)).toBe(0);
    expect(await notifications.unreadCount('c1', 'ben')).toBe(1);
    expect(await notifications.unreadCount('c2', 'ana')).toBe(1);
    const list = await listOf(notifications, 'c1', 'ana', { limit: 10 });
    expect(list.map((n) => [n.id, n.readAt])).toEqual([
      [a3!.id, null],
      [a2!.id, null],
      [a1!.id, 50],
    ]);
    expect(await notifications.markAllRead('c1', 'ana', 70)).toBe(2);
    expect(await notifications.unreadCount('c1', 'ana')).toBe(0);
    expect(await notifications.unreadCount('c1', 'ben')).toBe(1);
    expect(await notifications.unreadCount('c2', 'ana')).toBe(1);
  });

  it('keeps the newest per person and class and prunes older ones', async () => {
    const store = withCap(3);
    for (let i = 1; i <= 4; i++) await store.add('c1', [note('ana', `a${i}`), note('ben', `b${i}`)], i);
    await store.add('c2', [note('ana', 'x')], 9);
    await store.add('c1', [note('ana', 'a5')], 10);
    expect((await listOf(store, 'c1', 'ana', { limit: 10 })).map((n) => n.text)).toEqual(['a5', 'a4', 'a3']);
    expect((await listOf(store, 'c1', 'ben', { limit: 10 })).map((n) => n.text)).toEqual(['b4', 'b3', 'b2']);
    expect((await listOf(store, 'c2', 'ana', { limit: 10 })).map((n) => n.text)).toEqual(['x']);
    // One batch larger than the cap for one person keeps its newest.
    await store.add(
      'c3',
      ['1', '2', '3', '4', '5'].map((x) => note('li', x)),
      11,
    );
    expect((await listOf(store, 'c3', 'li', { limit: 10 })).map((n) => n.text)).toEqual(['5', '4', '3']);
    expect(NOTIFICATIONS_KEPT_PER_USER).toBe(500);
  });

  it('stores a class-sized batch in one call', async () => {
    const { notifications } = t.storage;
    const people = Array.from({ length: 1200 }, (_, i) => note(`s${i}`, 'hello'));
    const stored = await notifications.add('big', people, 5);
    expect(stored).toHaveLength(1200);
    expect(stored[1199]!.userId).toBe('s1199');
    expect(await notifications.unreadCount('big', 's700')).toBe(1);
  });
});
