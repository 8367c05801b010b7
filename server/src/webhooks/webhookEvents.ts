// What a course platform is told, built from the classroom's domain events (classroom/ClassEvents.ts): a class
// started or ended, its attendance report is final, a poll closed. Payloads carry ids and API paths, never
// tokens or names of people; the platform reads the details with its API key.
import crypto from 'node:crypto';
import type { WebhookEvent } from '@tandem/shared';
import type { ClassEvents } from '../classroom/ClassEvents.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const seg = encodeURIComponent;

export function newEventId(): string {
  return `evt_${crypto.randomBytes(12).toString('base64url')}`;
}

/**
 * Calls `send` with a webhook event for every class event a platform is told about; returns the unsubscribe.
 * `send` writes to the durable outbox; its failure is logged by ClassEvents.
 */
export function subscribeWebhookEvents(
  events: Pick<ClassEvents, 'on'>,
  send: (event: WebhookEvent) => Promise<void>,
  now: () => number = Date.now,
): () => void {
  const envelope = () => ({ id: newEventId(), createdAt: iso(now()) });
  const sessionLinks = (sessionId: string) => ({
    session: `/api/sessions/${seg(sessionId)}`,
    attendance: `/api/sessions/${seg(sessionId)}/attendance`,
  });
  const off = [
    events.on('sessionStarted', (e) =>
      send({
        ...envelope(),
        type: 'class.started',
        data: {
          classId: e.classId,
          sessionId: e.sessionId,
          startedAt: iso(e.at),
          startedById: e.byId,
          links: { session: sessionLinks(e.sessionId).session },
        },
      }),
    ),
    events.on('sessionEnded', (e) =>
      send({
        ...envelope(),
        type: 'class.ended',
        data: {
          classId: e.classId,
          sessionId: e.sessionId,
          endedAt: iso(e.at),
          endedById: e.byId,
          links: sessionLinks(e.sessionId),
        },
      }),
    ),
    events.on('attendanceReady', (e) =>
      send({
        ...envelope(),
        type: 'attendance.ready',
        data: { classId: e.classId, sessionId: e.sessionId, links: sessionLinks(e.sessionId) },
      }),
    ),
    events.on('pollClosed', (e) =>
      send({
        ...envelope(),
        type: 'poll.closed',
        data: {
          classId: e.classId,
          sessionId: e.sessionId,
          pollId: e.pollId,
          title: e.title,
          closedAt: iso(e.at),
          links: { poll: `/api/polls/${seg(e.pollId)}`, results: `/api/polls/${seg(e.pollId)}/results` },
        },
      }),
    ),
  ];
  return () => {
    for (const unsubscribe of off) unsubscribe();
  };
}
