// The webhook outbox contract, run against every engine (SQLite and PostgreSQL) with the same cases: enqueue,
// claim with a lease, finished attempts, release, manual retry, the delivery log, pruning, and pending rows
// surviving a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewWebhookDelivery } from '../../../server/src/storage/types/webhooks.ts';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

const delivery = (id: string, url = 'https://lms.example/hook'): NewWebhookDelivery => ({
  id,
  eventId: `evt_${id}`,
  type: 'class.started',
  url,
  body: `{"id":"evt_${id}","type":"class.started"}`,
});

describe.each(STORAGE_ENGINES)('webhook storage contract: %s', (engine) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('enqueues pending deliveries, due at once, and keeps the body byte for byte', async () => {
    const { webhooks } = t.storage;
    expect(await webhooks.nextDueAt()).toBeNull();
    await webhooks.enqueue([delivery('a'), delivery('b', 'https://other.example/x?y=1')], 1000);
    expect(await webhooks.nextDueAt()).toBe(1000);
    expect(await webhooks.get('b')).toEqual({
      ...delivery('b', 'https://other.example/x?y=1'),
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 1000,
      lastError: null,
      createdAt: 1000,
    });
    expect(await webhooks.get('nope')).toBeNull();
    await webhooks.enqueue([], 2000);
  });

  it('claims due rows oldest first, up to the limit, leasing them so no second claim takes them', async () => {
    const { webhooks } = t.storage;
    await webhooks.enqueue([delivery('a')], 100);
    await webhooks.enqueue([delivery('b')], 200);
    await webhooks.enqueue([delivery('c')], 300);
    expect(await webhooks.claim(50, 10, 5000)).toEqual([]);
    const first = await webhooks.claim(250, 10, 5000);
    expect(first.map((r) => r.id)).toEqual(['a', 'b']);
    expect(first[0]).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: 5000 });
    expect((await webhooks.claim(400, 10, 5000)).map((r) => r.id)).toEqual(['c']);
    expect(await webhooks.claim(400, 10, 5000)).toEqual([]);
    // A lease that ran out (its process died mid-attempt): the row is taken again.
    expect((await webhooks.claim(5000, 1, 9000)).map((r) => r.id)).toEqual(['a']);
    expect(await webhooks.nextDueAt()).toBe(5000);
  });

  it('records attempts: retried with its error, then delivered; failed when none are left', async () => {
    const { webhooks } = t.storage;
    await webhooks.enqueue([delivery('a'), delivery('b')], 100);
    await webhooks.claim(100, 10, 5000);
    expect(
      await webhooks.finishAttempt('a', { state: 'pending', nextAttemptAt: 700, error: 'HTTP 500' }),
    ).toBe(true);
    expect(await webhooks.get('a')).toMatchObject({ attempts: 1, nextAttemptAt: 700, lastError: 'HTTP 500' });
    expect(await webhooks.claim(699, 10, 5000)).toEqual([]);
    const [again] = await webhooks.claim(700, 10, 5000);
    expect(again).toMatchObject({ id: 'a', attempts: 1 });
    expect(await webhooks.finishAttempt('a', { state: 'delivered' })).toBe(true);
    expect(await webhooks.get('a')).toMatchObject({ state: 'delivered', attempts: 2, lastError: null });
    expect(await webhooks.finishAttempt('a', { state: 'delivered' })).toBe(false);
    expect(await webhooks.finishAttempt('b', { state: 'failed', error: 'no connection: ECONNREFUSED' })).toBe(
      true,
    );
    expect(await webhooks.get('b')).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'no connection: ECONNREFUSED',
    });
    expect(await webhooks.nextDueAt()).toBeNull();
    expect(await webhooks.claim(1e12, 10, 1e12)).toEqual([]);
  });

  it('releases a claimed row without counting an attempt', async () => {
    const { webhooks } = t.storage;
    await webhooks.enqueue([delivery('a')], 100);
    await webhooks.claim(100, 10, 5000);
    await webhooks.release('a', 150);
    expect(await webhooks.get('a')).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: 150 });
    expect((await webhooks.claim(150, 10, 5000)).map((r) => r.id)).toEqual(['a']);
  });

  it('retries only a failed delivery, from zero attempts, due at once', async () => {
    const { webhooks } = t.storage;
    await webhooks.enqueue([delivery('a'), delivery('b')], 100);
    await webhooks.finishAttempt('a', { state: 'failed', error: 'HTTP 410' });
    expect(await webhooks.retry('b', 900)).toBeNull();
    expect(await webhooks.retry('nope', 900)).toBeNull();
    expect(await webhooks.retry('a', 900)).toMatchObject({
      id: 'a',
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 900,
      lastError: 'HTTP 410',
    });
    expect(await webhooks.retry('a', 900)).toBeNull();
  });

  it('lists newest first, by state, up to a limit; prunes old delivered and failed rows apart', async () => {
    const { webhooks } = t.storage;
    await webhooks.enqueue([delivery('old-ok'), delivery('old-bad')], 100);
    await webhooks.enqueue([delivery('new-ok'), delivery('new-bad')], 200);
    await webhooks.enqueue([delivery('waiting')], 300);
    await webhooks.finishAttempt('old-ok', { state: 'delivered' });
    await webhooks.finishAttempt('new-ok', { state: 'delivered' });
    await webhooks.finishAttempt('old-bad', { state: 'failed', error: 'x' });
    await webhooks.finishAttempt('new-bad', { state: 'failed', error: 'x' });
    expect((await webhooks.list({ limit: 10 })).map((r) => r.id)).toEqual([
      'waiting',
      'new-ok',
      'new-bad',
      'old-ok',
      'old-bad',
    ]);
    expect((await webhooks.list({ state: 'failed', limit: 10 })).map((r) => r.id)).toEqual([
      'new-bad',
      'old-bad',
    ]);
    expect((await webhooks.list({ state: 'delivered', limit: 1 })).map((r) => r.id)).toEqual(['new-ok']);
    // Delivered rows before 250 go, failed ones only before 150; pending rows stay whatever their age.
    expect(await webhooks.prune(250, 150)).toBe(3);
    expect((await webhooks.list({ limit: 10 })).map((r) => r.id).sort()).toEqual(['new-bad', 'waiting']);
  });

  it('keeps pending deliveries over a restart', async () => {
    await t.storage.webhooks.enqueue([delivery('a')], 100);
    await t.storage.webhooks.finishAttempt('a', { state: 'pending', nextAttemptAt: 400, error: 'HTTP 503' });
    const reopened = await t.restart();
    expect(await reopened.webhooks.nextDueAt()).toBe(400);
    expect((await reopened.webhooks.claim(400, 10, 900)).map((r) => [r.id, r.attempts])).toEqual([['a', 1]]);
  });
});
