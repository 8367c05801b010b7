// The delivery log for platform operators: GET /api/webhooks/deliveries and POST .../<id>/retry, API key only.
// A delivery that ran out of attempts is listed as failed with its error and sent again on retry; every
// refusal (no credential, a class token, bad query, unknown id, not failed, webhooks off, too many requests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, person } from '../classroom/classroomApi.ts';
import { expectSigned, type Receiver, startReceiver, WEBHOOK_TEST_SECRET } from './receiver.ts';

const API_KEY = 'platform-key-0123456789abcdef';

interface Listed {
  deliveries: { id: string; eventId: string; state: string; attempts: number; lastError: string | null }[];
}

describe('webhook delivery routes', () => {
  let lms: Receiver;
  let server: TestServer;
  let platform: Caller;
  let up = false;

  beforeAll(async () => {
    lms = await startReceiver(() => (up ? { status: 200 } : { status: 410, body: 'gone for now' }));
    server = await startTestServer({
      API_KEYS: API_KEY,
      WEBHOOK_URL: lms.url,
      WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
      WEBHOOK_MAX_ATTEMPTS: '1',
    });
    platform = caller(server, API_KEY);
    await platform('POST', '/api/classes', { id: 'algo', title: 'Algorithms' });
    expect((await platform('POST', '/api/classes/algo/sessions', { startNow: true })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.stop();
    await lms?.close();
  });

  it('lists a delivery that ran out of attempts as failed, with why', async () => {
    const failed = await waitFor(async () => {
      const r = await platform<Listed>('GET', '/api/webhooks/deliveries?state=failed');
      return r.body.deliveries.length === 1 && r.body.deliveries[0];
    });
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, lastError: 'HTTP 410: gone for now' });
    const all = await platform<Listed & { deliveries: Record<string, unknown>[] }>(
      'GET',
      '/api/webhooks/deliveries',
    );
    expect(all.body.deliveries[0]).toMatchObject({
      id: failed.id,
      type: 'class.started',
      url: lms.url,
      nextAttemptAt: null,
    });
    expect(all.body.deliveries[0]).not.toHaveProperty('body');
    expect(
      (await platform<Listed>('GET', '/api/webhooks/deliveries?state=delivered')).body.deliveries,
    ).toEqual([]);
  });

  it('sends a failed delivery again on retry, as the same event', async () => {
    const [failed] = (await platform<Listed>('GET', '/api/webhooks/deliveries?state=failed')).body.deliveries;
    up = true;
    const retried = await platform<{ delivery: { state: string; attempts: number } }>(
      'POST',
      `/api/webhooks/deliveries/${failed!.id}/retry`,
    );
    expect(retried.status).toBe(200);
    expect(retried.body.delivery).toMatchObject({ state: 'pending', attempts: 0 });
    await waitFor(() => lms.received.length === 2);
    expect(expectSigned(lms.received[1]!).id).toBe(failed!.eventId);
    await waitFor(async () => {
      const r = await platform<Listed>('GET', '/api/webhooks/deliveries?state=delivered&limit=1');
      return r.body.deliveries[0]?.id === failed!.id;
    });
    const again = await platform('POST', `/api/webhooks/deliveries/${failed!.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('only a failed delivery can be retried; this one is delivered');
  });

  it('refuses without an API key: no credential 401, a class token 403 (even an instructor)', async () => {
    expect((await fetch(`${server.httpUrl}/api/webhooks/deliveries`)).status).toBe(401);
    expect((await caller(server, 'wrong-key')('GET', '/api/webhooks/deliveries')).status).toBe(401);
    for (const role of ['instructor', 'student'] as const) {
      const { api } = await person(server, `p-${role}`, role, 'algo');
      const list = await api('GET', '/api/webhooks/deliveries');
      expect(list.status).toBe(403);
      expect(list.text).toContain('needs a server API key');
      expect((await api('POST', '/api/webhooks/deliveries/whd_x/retry')).status).toBe(403);
    }
  });

  it('refuses a bad query, a bad or unknown id', async () => {
    expect((await platform('GET', '/api/webhooks/deliveries?state=lost')).status).toBe(400);
    expect((await platform('GET', '/api/webhooks/deliveries?limit=1000')).status).toBe(400);
    expect((await platform('GET', '/api/webhooks/deliveries?limit=0')).status).toBe(400);
    expect((await platform('GET', '/api/webhooks/deliveries?other=1')).status).toBe(400);
    expect((await platform('POST', '/api/webhooks/deliveries/whd_nope/retry')).status).toBe(404);
    expect((await platform('POST', `/api/webhooks/deliveries/${'x'.repeat(65)}/retry`)).status).toBe(400);
  });

  it('limits the rate of requests', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 80 }, () =>
        platform('GET', '/api/webhooks/deliveries?limit=1').then((r) => r.status),
      ),
    );
    expect(statuses).toContain(429);
  });
});

describe('webhook delivery routes with webhooks off', () => {
  it('lists nothing and refuses a retry, saying how to turn webhooks on', async () => {
    const server = await startTestServer({ API_KEYS: API_KEY });
    try {
      const platform = caller(server, API_KEY);
      expect((await platform<Listed>('GET', '/api/webhooks/deliveries')).body).toEqual({ deliveries: [] });
      // A row left from when webhooks were on.
      await server.tandem.ctx.storage.webhooks.enqueue(
        [
          {
            id: 'whd_old',
            eventId: 'evt_old',
            type: 'class.started',
            url: 'https://lms.example/h',
            body: '{}',
          },
        ],
        Date.now(),
      );
      await server.tandem.ctx.storage.webhooks.finishAttempt('whd_old', {
        state: 'failed',
        error: 'HTTP 500',
      });
      const retry = await platform('POST', '/api/webhooks/deliveries/whd_old/retry');
      expect(retry.status).toBe(409);
      expect(retry.text).toContain('set WEBHOOK_URL and WEBHOOK_SECRET');
      expect((await server.tandem.ctx.storage.webhooks.get('whd_old'))?.state).toBe('failed');
    } finally {
      await server.stop();
    }
  });
});
