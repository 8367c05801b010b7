// Webhook retries against a real receiver: an answer of 500 twice then 200 gets the event three times with
// the same id, a new valid signature each time and longer waits between; a receiver that does not answer in
// WEBHOOK_TIMEOUT_MS is tried again; 429 with Retry-After is waited for; a redirect is not followed and counts
// as a failure; a large error reply is read only in part; out of attempts, the delivery is failed.
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../../server/src/config.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import {
  attemptOf,
  expectSigned,
  type Receiver,
  type Respond,
  startReceiver,
  WEBHOOK_TEST_SECRET,
} from './receiver.ts';

const API_KEY = 'platform-key-0123456789abcdef';
const BASE_MS = 200;

let receivers: Receiver[] = [];
let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  for (const r of receivers) await r.close();
  receivers = [];
});

async function receiver(respond?: Respond): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

/** A server sending webhooks to `url`, and a session started on it (one class.started). */
async function serverSendingTo(url: string, env: Env = {}): Promise<TestServer> {
  server = await startTestServer({
    API_KEYS: API_KEY,
    WEBHOOK_URL: url,
    WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
    WEBHOOK_RETRY_BASE_MS: String(BASE_MS),
    ...env,
  });
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown) =>
    fetch(`${server!.httpUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  expect((await post('/api/classes', { id: 'algo', title: 'Algorithms' })).status).toBe(201);
  expect((await post('/api/classes/algo/sessions', { startNow: true })).status).toBe(201);
  return server;
}

const metric = async (s: TestServer, outcome: string) => {
  const text = await (await fetch(`${s.httpUrl}/metrics`)).text();
  return Number(
    text.match(new RegExp(`tandem_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)`))?.[1] ?? 0,
  );
};

describe('webhook retries', () => {
  it('retries 500, 500, then 200: the same event three times, waits growing, then delivered', async () => {
    const lms = await receiver(({ n }) =>
      n <= 2 ? { status: 500, body: 'database is down' } : { status: 200 },
    );
    const s = await serverSendingTo(lms.url);
    await waitFor(() => lms.received.length === 3, { timeoutMs: 10_000 });
    const events = lms.received.map((r) => expectSigned(r));
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(events[0]?.type).toBe('class.started');
    expect(lms.received.map(attemptOf)).toEqual([1, 2, 3]);
    expect(new Set(lms.received.map((r) => r.body)).size).toBe(1);
    const [a, b, c] = lms.received.map((r) => r.at) as [number, number, number];
    // Back-off of 200 ms then 600 ms, ±20%.
    expect(b - a).toBeGreaterThanOrEqual(BASE_MS * 0.8 - 20);
    expect(c - b).toBeGreaterThanOrEqual(BASE_MS * 3 * 0.8 - 20);
    expect(c - b).toBeGreaterThan(b - a);
    const [row] = await waitFor(async () => {
      const rows = await s.tandem.ctx.storage.webhooks.list({ state: 'delivered', limit: 5 });
      return rows.length === 1 && rows;
    });
    expect(row).toMatchObject({ attempts: 3, lastError: null });
    expect(await metric(s, 'retried')).toBe(2);
    expect(await metric(s, 'delivered')).toBe(1);
    // Delivered means done: nothing is left to send.
    expect(await s.tandem.ctx.storage.webhooks.nextDueAt()).toBeNull();
    expect(lms.received).toHaveLength(3);
  });

  it('gives up on an attempt after WEBHOOK_TIMEOUT_MS and tries again', async () => {
    const lms = await receiver(({ n }) => (n === 1 ? 'hang' : { status: 204 }));
    const s = await serverSendingTo(lms.url, { WEBHOOK_TIMEOUT_MS: '300' });
    await waitFor(() => lms.received.length === 2, { timeoutMs: 10_000 });
    const [first, second] = lms.received as [(typeof lms.received)[0], (typeof lms.received)[0]];
    expect(expectSigned(second).id).toBe(expectSigned(first).id);
    expect(attemptOf(second)).toBe(2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(300 + BASE_MS * 0.8 - 20);
    await waitFor(
      async () => (await s.tandem.ctx.storage.webhooks.list({ state: 'delivered', limit: 5 })).length,
    );
  });

  it('records the timeout as the error of a pending delivery', async () => {
    const lms = await receiver(() => 'hang');
    const s = await serverSendingTo(lms.url, { WEBHOOK_TIMEOUT_MS: '200', WEBHOOK_RETRY_BASE_MS: '60000' });
    const [row] = await waitFor(async () => {
      const rows = await s.tandem.ctx.storage.webhooks.list({ state: 'pending', limit: 5 });
      return rows[0]?.attempts === 1 && rows;
    });
    expect(row?.lastError).toBe('no reply within 200 ms');
    expect(row!.nextAttemptAt - Date.now()).toBeGreaterThan(30_000);
  });

  it('waits as long as a 429 Retry-After says, even when the back-off is shorter', async () => {
    const lms = await receiver(({ n }) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' } : { status: 200 },
    );
    await serverSendingTo(lms.url);
    await waitFor(() => lms.received.length === 2, { timeoutMs: 10_000 });
    const [first, second] = lms.received as [(typeof lms.received)[0], (typeof lms.received)[0]];
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000 - 20);
  });

  it('does not follow a redirect: it is a failure, and the target never hears of it', async () => {
    const elsewhere = await receiver();
    const lms = await receiver(() => ({ status: 307, headers: { location: elsewhere.url } }));
    const s = await serverSendingTo(lms.url, { WEBHOOK_MAX_ATTEMPTS: '2' });
    const [row] = await waitFor(async () => {
      const rows = await s.tandem.ctx.storage.webhooks.list({ state: 'failed', limit: 5 });
      return rows.length === 1 && rows;
    });
    expect(row).toMatchObject({ attempts: 2, lastError: 'HTTP 307 (redirects are not followed)' });
    expect(lms.received).toHaveLength(2);
    expect(elsewhere.received).toHaveLength(0);
    expect(await metric(s, 'retried')).toBe(1);
    expect(await metric(s, 'failed')).toBe(1);
  });

  it('keeps only the start of a large error reply', async () => {
    const lms = await receiver(() => ({ status: 500, body: `<html>${'x'.repeat(2_000_000)}</html>` }));
    const s = await serverSendingTo(lms.url, { WEBHOOK_MAX_ATTEMPTS: '1' });
    const [row] = await waitFor(async () => {
      const rows = await s.tandem.ctx.storage.webhooks.list({ state: 'failed', limit: 5 });
      return rows.length === 1 && rows;
    });
    expect(row?.lastError).toMatch(/^HTTP 500: <html>x+$/);
    expect(row!.lastError!.length).toBeLessThanOrEqual(600);
  });
});
