// What a poll tells the rest of Tandem, end to end over REST: launching one puts a "poll started" notification
// in each student's inbox (not the instructor's), and closing it sends the signed poll.closed webhook, whose
// links work with the platform's API key and give the final results.
import type { PollResults, UserNotification } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, person } from '../classroom/classroomApi.ts';
import { expectSigned, type Receiver, startReceiver, WEBHOOK_TEST_SECRET } from '../webhooks/receiver.ts';

const API_KEY = 'platform-key-0123456789abcdef';

describe('poll events', () => {
  let lms: Receiver;
  let server: TestServer;
  let platform: Caller;

  beforeAll(async () => {
    lms = await startReceiver();
    server = await startTestServer({
      API_KEYS: API_KEY,
      WEBHOOK_URL: lms.url,
      WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
    });
    platform = caller(server, API_KEY);
    expect((await platform('POST', '/api/classes', { id: 'ev1', title: 'Events' })).status).toBe(201);
    await platform('PUT', '/api/classes/ev1/roster', {
      members: [
        { userId: 'ida', name: 'Ida', role: 'instructor' },
        { userId: 'ana', name: 'Ana', role: 'student' },
      ],
    });
  });
  afterAll(async () => {
    await server?.stop();
    await lms?.close();
  });

  it('notifies students of a launch and sends poll.closed with working links on close', async () => {
    const ida = await person(server, 'ida', 'instructor', 'ev1');
    const ana = await person(server, 'ana', 'student', 'ev1');
    const session = await ida.api<{ session: { id: string } }>('POST', '/api/classes/ev1/sessions', {
      startNow: true,
    });
    const created = await ida.api<{ poll: { id: string } }>('POST', '/api/classes/ev1/polls', {
      definition: {
        title: 'Ready?',
        kind: 'poll',
        anonymous: false,
        timerSeconds: null,
        questions: [{ type: 'single', prompt: 'Ready?', options: ['yes', 'no'] }],
      },
      launch: true,
    });
    expect(created.status, created.text).toBe(201);
    const pollId = created.body.poll.id;

    const inbox = await waitFor(async () => {
      const res = await ana.api<{ notifications: UserNotification[] }>(
        'GET',
        '/api/classes/ev1/notifications',
      );
      return res.body.notifications.find((n) => n.kind === 'pollStarted');
    });
    expect(inbox).toMatchObject({ text: 'Ready?', link: { type: 'poll', pollId } });
    const idas = await ida.api<{ notifications: UserNotification[] }>(
      'GET',
      '/api/classes/ev1/notifications',
    );
    expect(idas.body.notifications.some((n) => n.kind === 'pollStarted')).toBe(false);

    await ana.api('PUT', `/api/polls/${pollId}/answers`, {
      answers: [{ question: 0, value: { choices: [0] } }],
    });
    expect((await ida.api('POST', `/api/polls/${pollId}/close`)).status).toBe(200);
    const request = await waitFor(() => lms.received.find((r) => r.body.includes('poll.closed')));
    const event = expectSigned(request) as { type: string; data: { links: { results: string } } };
    expect(event).toMatchObject({
      type: 'poll.closed',
      data: { classId: 'ev1', sessionId: session.body.session.id, pollId, title: 'Ready?' },
    });
    const results = await platform<{ state: string; results: PollResults }>('GET', event.data.links.results);
    expect(results.status).toBe(200);
    expect(results.body.state).toBe('closed');
    expect(results.body.results.questions[0]?.counts).toEqual([1, 0]);
  });
});
