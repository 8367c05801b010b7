// What each classroom event becomes for the course platform: one webhook event per class event, valid under
// the shared schema, with ids, times and API paths and nothing else; unsubscribing stops them.
import { WEBHOOK_TOLERANCE_SECONDS, type WebhookEvent, webhookEventSchema } from '@tandem/shared';
import { pino } from 'pino';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ClassEvents } from '../../../server/src/classroom/ClassEvents.ts';
import { signatureHeader, verifySignature } from '../../../server/src/webhooks/verifySignature.ts';
import { subscribeWebhookEvents } from '../../../server/src/webhooks/webhookEvents.ts';

const NOW = Date.parse('2030-01-01T10:00:00Z');
const AT = Date.parse('2030-01-01T09:59:59Z');

function setup() {
  const events = new ClassEvents(pino({ level: 'silent' }));
  const sent: WebhookEvent[] = [];
  const off = subscribeWebhookEvents(
    events,
    async (e) => void sent.push(e),
    () => NOW,
  );
  return { events, sent, off };
}

describe('webhook events from class events', () => {
  it('maps session start and end, attendance and polls to the four event types', () => {
    const { events, sent } = setup();
    events.emit('sessionStarted', { classId: 'algo', sessionId: 's-1', at: AT, byId: null });
    events.emit('sessionEnded', { classId: 'algo', sessionId: 's-1', at: AT, byId: 'ines' });
    events.emit('attendanceReady', { classId: 'algo', sessionId: 's-1', at: AT });
    events.emit('pollClosed', { classId: 'algo', sessionId: null, pollId: 'p 1', title: 'Q?', at: AT });
    // Not for platforms.
    events.emit('announcement', { classId: 'algo', text: 'hi', at: AT, by: { id: 'ines', name: 'Ines' } });
    expect(sent.map((e) => v.parse(webhookEventSchema, e).type)).toEqual([
      'class.started',
      'class.ended',
      'attendance.ready',
      'poll.closed',
    ]);
    const iso = new Date(AT).toISOString();
    expect(sent[0]).toMatchObject({
      createdAt: new Date(NOW).toISOString(),
      data: {
        classId: 'algo',
        sessionId: 's-1',
        startedAt: iso,
        startedById: null,
        links: { session: '/api/sessions/s-1' },
      },
    });
    expect(sent[1]?.data).toEqual({
      classId: 'algo',
      sessionId: 's-1',
      endedAt: iso,
      endedById: 'ines',
      links: { session: '/api/sessions/s-1', attendance: '/api/sessions/s-1/attendance' },
    });
    expect(sent[2]?.data).toEqual({
      classId: 'algo',
      sessionId: 's-1',
      links: { session: '/api/sessions/s-1', attendance: '/api/sessions/s-1/attendance' },
    });
    // Path segments are escaped.
    expect(sent[3]?.data).toEqual({
      classId: 'algo',
      sessionId: null,
      pollId: 'p 1',
      title: 'Q?',
      closedAt: iso,
      links: { poll: '/api/polls/p%201', results: '/api/polls/p%201/results' },
    });
    expect(new Set(sent.map((e) => e.id)).size).toBe(4);
    for (const e of sent) expect(e.id).toMatch(/^evt_[A-Za-z0-9_-]{16}$/);
  });

  it('stops when unsubscribed', () => {
    const { events, sent, off } = setup();
    off();
    events.emit('sessionStarted', { classId: 'algo', sessionId: 's-1', at: AT, byId: null });
    expect(sent).toEqual([]);
  });

  it('documents the tolerance receivers apply, and verifySignature applies it by default', () => {
    const body = '{}';
    const secret = 's'.repeat(32);
    const header = signatureHeader(secret, 1000, body);
    expect(verifySignature({ secret, header, body, nowSeconds: 1000 + WEBHOOK_TOLERANCE_SECONDS }).ok).toBe(
      true,
    );
    expect(verifySignature({ secret, header, body, nowSeconds: 1001 + WEBHOOK_TOLERANCE_SECONDS }).ok).toBe(
      false,
    );
  });
});
