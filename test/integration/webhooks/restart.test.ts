// The outbox survives restarts, on both engines: an event whose receiver was down is delivered by the next
// server on the same data; an attempt in flight at shutdown is aborted (the server does not wait for it) and
// sent again after the restart, as the same event; old delivered and failed rows are pruned at start.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../../server/src/storage/openStorage.ts';
import {
  type EngineTestServer,
  STORAGE_ENGINES,
  type StoppedData,
  startTestServerOn,
} from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import {
  attemptOf,
  expectSigned,
  freePort,
  type Receiver,
  startReceiver,
  WEBHOOK_TEST_SECRET,
} from './receiver.ts';

const API_KEY = 'platform-key-0123456789abcdef';

describe.each(STORAGE_ENGINES)('webhooks over a restart on %s', (engine) => {
  let server: EngineTestServer | undefined;
  let lms: Receiver | undefined;
  afterEach(async () => {
    await server?.stop();
    await lms?.close();
    server = undefined;
    lms = undefined;
  });

  async function start(url: string, env: Record<string, string> = {}) {
    server = await startTestServerOn(engine, {
      API_KEYS: API_KEY,
      WEBHOOK_URL: url,
      WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
      ...env,
    });
    const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
    const post = (path: string, body: unknown) =>
      fetch(`${server!.httpUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post('/api/classes', { id: 'algo', title: 'Algorithms' })).status).toBe(201);
    expect((await post('/api/classes/algo/sessions', { startNow: true })).status).toBe(201);
    return server;
  }

  it('delivers after a restart what a receiver that was down could not take', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hooks/tandem`;
    const first = await start(url, { WEBHOOK_RETRY_BASE_MS: '1000' });
    const [row] = await waitFor(async () => {
      const rows = await first.tandem.ctx.storage.webhooks.list({ state: 'pending', limit: 5 });
      return rows[0]?.attempts === 1 && rows;
    });
    expect(row?.lastError).toMatch(/^no connection: ECONNREFUSED/);
    lms = await startReceiver(undefined, port);
    server = await first.restart({ env: { WEBHOOK_RETRY_BASE_MS: '100' } });
    const request = await waitFor(() => lms!.received[0], { timeoutMs: 10_000 });
    const event = expectSigned(request);
    expect(event).toMatchObject({ id: row!.eventId, type: 'class.started', data: { classId: 'algo' } });
    expect(attemptOf(request)).toBe(2);
    await waitFor(
      async () => (await server!.tandem.ctx.storage.webhooks.get(row!.id))?.state === 'delivered',
    );
  });

  it('aborts an attempt in flight at shutdown without waiting for it, and sends it after the restart', async () => {
    lms = await startReceiver(({ n }) => (n === 1 ? 'hang' : { status: 200 }));
    const first = await start(lms.url, { WEBHOOK_TIMEOUT_MS: '30000' });
    await waitFor(() => lms!.received.length === 1);
    const stopping = Date.now();
    server = await first.restart();
    expect(Date.now() - stopping).toBeLessThan(10_000);
    await waitFor(() => lms!.received.length === 2, { timeoutMs: 10_000 });
    const [before, after] = lms.received.map((r) => expectSigned(r));
    expect(after?.id).toBe(before?.id);
    // The aborted attempt was given back, not counted.
    expect(attemptOf(lms.received[1]!)).toBe(1);
  });

  it('prunes delivered rows older than a week and failed ones older than a month when it starts', async () => {
    lms = await startReceiver();
    const first = await start(lms.url);
    const day = 24 * 60 * 60_000;
    const old = (id: string) => ({
      id,
      eventId: `evt_${id}`,
      type: 'class.ended' as const,
      url: lms!.url,
      body: '{}',
    });
    // Written while no server runs, so no dispatcher sends them before they are marked.
    const writeOldRows = async ({ dataDir, schema }: StoppedData) => {
      const storage = await openStorage(
        schema
          ? { engine: 'postgres', url: schema.url, schema: schema.schema }
          : { engine: 'sqlite', dataDir },
        { historyRetentionDays: 0, log: pino({ level: 'silent' }) },
      );
      try {
        const { webhooks } = storage;
        await webhooks.enqueue([old('whd_ok8'), old('whd_bad8')], Date.now() - 8 * day);
        await webhooks.enqueue([old('whd_bad31')], Date.now() - 31 * day);
        await webhooks.enqueue([old('whd_ok6')], Date.now() - 6 * day);
        for (const id of ['whd_ok8', 'whd_ok6']) await webhooks.finishAttempt(id, { state: 'delivered' });
        for (const id of ['whd_bad8', 'whd_bad31'])
          await webhooks.finishAttempt(id, { state: 'failed', error: 'x' });
      } finally {
        await storage.close();
      }
    };
    server = await first.restart({ whileStopped: writeOldRows });
    const store = server.tandem.ctx.storage.webhooks;
    await waitFor(
      async () => (await store.get('whd_ok8')) === null && (await store.get('whd_bad31')) === null,
    );
    expect((await store.get('whd_ok6'))?.state).toBe('delivered');
    expect((await store.get('whd_bad8'))?.state).toBe('failed');
  });
});
