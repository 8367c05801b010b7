// Webhooks reach course platforms: a session started and ended over the REST API sends class.started,
// class.ended and attendance.ready, signed (verified as docs/webhooks.md says; a wrong secret fails), to every
// configured URL with the same event id; poll.closed follows the classroom's pollClosed event. Payloads carry
// ids and API paths that work with an API key, never credentials. With WEBHOOK_URL unset nothing is queued.
import { WEBHOOK_HEADERS } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classroomOf } from '../../../server/src/classroom/index.ts';
import { verifySignature } from '../../../server/src/webhooks/verifySignature.ts';
import { startTestServer, TEST_SECRET, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, person } from '../classroom/classroomApi.ts';
import { expectSigned, type Receiver, startReceiver, WEBHOOK_TEST_SECRET } from './receiver.ts';

const API_KEY = 'platform-key-0123456789abcdef';

describe('webhooks of a class session', () => {
  let lms: Receiver;
  let mirror: Receiver;
  let server: TestServer;
  let platform: Caller;

  beforeAll(async () => {
    lms = await startReceiver();
    mirror = await startReceiver();
    server = await startTestServer({
      API_KEYS: API_KEY,
      WEBHOOK_URL: `${lms.url},${mirror.url}?source=tandem`,
      WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
    });
    platform = caller(server, API_KEY);
    expect((await platform('POST', '/api/classes', { id: 'algo', title: 'Algorithms' })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.stop();
    await lms?.close();
    await mirror?.close();
  });

  let sessionId = '';

  it('sends class.started, signed, when a session starts; a wrong secret or old timestamp fails', async () => {
    const started = await platform<{ session: { id: string } }>('POST', '/api/classes/algo/sessions', {
      title: 'Week 1',
      startNow: true,
    });
    expect(started.status).toBe(201);
    sessionId = started.body.session.id;
    const request = await waitFor(() => lms.received[0]);
    const event = expectSigned(request);
    expect(event).toMatchObject({
      type: 'class.started',
      data: {
        classId: 'algo',
        sessionId,
        startedById: 'platform',
        links: { session: `/api/sessions/${sessionId}` },
      },
    });
    expect(event.id).toMatch(/^evt_/);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers[WEBHOOK_HEADERS.attempt.toLowerCase()]).toBe('1');
    expect(request.headers['user-agent']).toMatch(/^Tandem-Webhooks\//);

    const header = String(request.headers[WEBHOOK_HEADERS.signature.toLowerCase()]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const wrong = verifySignature({ secret: `${WEBHOOK_TEST_SECRET}-not`, header, body: request.body });
    expect(wrong).toEqual({ ok: false, reason: 'mismatch' });
    const tampered = verifySignature({
      secret: WEBHOOK_TEST_SECRET,
      header,
      body: request.body.replace(sessionId, 'other'),
    });
    expect(tampered.ok).toBe(false);
    const later = verifySignature({
      secret: WEBHOOK_TEST_SECRET,
      header,
      body: request.body,
      nowSeconds: Math.floor(Date.now() / 1000) + 301,
    });
    expect(later).toEqual({ ok: false, reason: 'expired' });
  });

  it('sends the same event, same id, to every URL', async () => {
    const copy = await waitFor(() => mirror.received[0]);
    expect(expectSigned(copy).id).toBe(expectSigned(lms.received[0]!).id);
    expect(copy.body).toBe(lms.received[0]!.body);
  });

  it('sends class.ended and attendance.ready when it ends; their paths answer with an API key', async () => {
    const instructor = await person(server, 'ines', 'instructor', 'algo');
    expect((await instructor.api('POST', `/api/sessions/${sessionId}/end`)).status).toBe(200);
    await waitFor(() => lms.received.length >= 3);
    // Sent concurrently: either may arrive first (docs/webhooks.md says events are not ordered).
    const later = lms.received.slice(1).map((r) => expectSigned(r));
    const ended = later.find((e) => e.type === 'class.ended');
    const ready = later.find((e) => e.type === 'attendance.ready');
    expect(ended).toMatchObject({
      type: 'class.ended',
      data: {
        classId: 'algo',
        sessionId,
        endedById: 'ines',
        links: { session: `/api/sessions/${sessionId}`, attendance: `/api/sessions/${sessionId}/attendance` },
      },
    });
    expect(ready).toMatchObject({ type: 'attendance.ready', data: { classId: 'algo', sessionId } });
    expect(new Set(lms.received.slice(0, 3).map((r) => expectSigned(r).id)).size).toBe(3);
    if (ready?.type !== 'attendance.ready') throw new Error('not attendance.ready');
    const report = await platform('GET', ready.data.links.attendance);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ session: { id: sessionId, state: 'ended' } });
    expect((await platform('GET', `${ready.data.links.attendance}?format=csv`)).status).toBe(200);
  });

  it('never sends credentials: not the API key, the auth secret or the webhook secret', async () => {
    for (const r of [...lms.received, ...mirror.received]) {
      for (const secret of [API_KEY, TEST_SECRET, WEBHOOK_TEST_SECRET]) {
        expect(r.body).not.toContain(secret);
        expect(JSON.stringify(r.headers)).not.toContain(secret);
      }
      expect(r.headers.authorization).toBeUndefined();
    }
  });

  it('sends poll.closed when the classroom says a poll closed', async () => {
    // Polls emit pollClosed themselves (a separate feature); here the event is emitted as they do.
    const at = Date.now();
    classroomOf(server.tandem.ctx)!.events.emit('pollClosed', {
      classId: 'algo',
      sessionId,
      pollId: 'poll-7',
      title: 'Big-O of binary search?',
      at,
    });
    const request = await waitFor(() => lms.received.find((r) => r.body.includes('poll.closed')));
    expect(expectSigned(request)).toMatchObject({
      type: 'poll.closed',
      data: {
        classId: 'algo',
        sessionId,
        pollId: 'poll-7',
        title: 'Big-O of binary search?',
        closedAt: new Date(at).toISOString(),
        links: { poll: '/api/polls/poll-7', results: '/api/polls/poll-7/results' },
      },
    });
  });

  it('logs every delivery as delivered and counts them in /metrics', async () => {
    await waitFor(() => mirror.received.length >= 4);
    const list = await waitFor(async () => {
      const r = await platform<{ deliveries: { state: string; attempts: number; url: string }[] }>(
        'GET',
        '/api/webhooks/deliveries?state=delivered',
      );
      return r.body.deliveries.length === 8 && r.body.deliveries;
    });
    expect(list.every((d) => d.attempts === 1)).toBe(true);
    expect(new Set(list.map((d) => d.url))).toEqual(new Set([lms.url, `${mirror.url}?source=tandem`]));
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/tandem_webhook_deliveries_total\{outcome="delivered"\} 8/);
  });
});

describe('webhooks off (WEBHOOK_URL unset)', () => {
  it('queues and sends nothing', async () => {
    const server = await startTestServer({ API_KEYS: API_KEY });
    try {
      const platform = caller(server, API_KEY);
      await platform('POST', '/api/classes', { id: 'algo', title: 'Algorithms' });
      const started = await platform<{ session: { id: string } }>('POST', '/api/classes/algo/sessions', {
        startNow: true,
      });
      expect((await platform('POST', `/api/sessions/${started.body.session.id}/end`)).status).toBe(200);
      expect(await server.tandem.ctx.storage.webhooks.list({ limit: 10 })).toEqual([]);
      expect(await server.tandem.ctx.storage.webhooks.nextDueAt()).toBeNull();
    } finally {
      await server.stop();
    }
  });
});
