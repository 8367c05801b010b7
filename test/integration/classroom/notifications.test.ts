// Notifications over REST and live, on both storage engines: announcements, class starts, @mentions,
// replies and poll starts land in the right people's inboxes (not the author's), a person away reads them on return (also one
// known only from the live session's attendance), open pages get them pushed; a person reads and marks only
// their own, and the refusals: no person token, another class, bad bodies and queries, too many ids, the
// rate limit.
import { type ClassNotice, NOTIFICATIONS_MAX_IDS, type UserNotification } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classroomOf } from '../../../server/src/classroom/index.ts';
import { connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, collectNotices, person } from './classroomApi.ts';

const API_KEY = 'platform-key-0123456789abcdef';
const BASE = '/api/classes/nc1';
type Person = Awaited<ReturnType<typeof person>>;
type Inbox = { notifications: UserNotification[]; unreadCount: number };

let server: EngineTestServer;
let platform: Caller;
let ida: Person;
let ana: Person;
let ben: Person;
const clients: { destroy(): void }[] = [];

const inbox = async (who: Person, query = '') => {
  const res = await who.api<Inbox>('GET', `${BASE}/notifications${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const announce = async (text: string) =>
  expect((await ida.api('POST', `${BASE}/announcements`, { text })).status).toBe(201);
const send = async (who: Person, text: string, replyTo?: string) => {
  const res = await who.api<{ message: { id: string } }>('POST', `${BASE}/chat/main/messages`, {
    text,
    ...(replyTo ? { replyTo } : {}),
  });
  expect(res.status, res.text).toBe(201);
  return res.body.message;
};

describe.each(STORAGE_ENGINES)('notifications on %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine, { API_KEYS: API_KEY });
    platform = caller(server, API_KEY);
    ida = await person(server, 'ida', 'instructor', 'nc1');
    ana = await person(server, 'ana', 'student', 'nc1');
    ben = await person(server, 'ben', 'student', 'nc1');
    expect((await platform('POST', '/api/classes', { id: 'nc1', title: 'Web' })).status).toBe(201);
    const roster = await platform('PUT', `${BASE}/roster`, {
      members: [
        { userId: 'ida', name: 'Ida', role: 'instructor' },
        { userId: 'ana', name: 'Ana', role: 'student' },
        { userId: 'ben', name: 'Ben', role: 'student' },
      ],
    });
    expect(roster.status, roster.text).toBe(200);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  it('a class start and an announcement reach everyone on the roster but the one who made them, while away', async () => {
    expect((await ida.api('POST', `${BASE}/sessions`, { startNow: true })).status).toBe(201);
    await announce('Quiz in 5 minutes');
    const anas = await waitFor(async () => {
      const got = await inbox(ana);
      return got.notifications.length === 2 && got;
    });
    expect(anas.unreadCount).toBe(2);
    expect(anas.notifications.map((n) => [n.kind, n.title, n.text])).toEqual([
      ['announcement', 'Announcement from Ida', 'Quiz in 5 minutes'],
      ['classStarted', 'Class started', 'The session is live.'],
    ]);
    expect(anas.notifications[0]).toMatchObject({ userId: 'ana', classId: 'nc1', readAt: null });
    await waitFor(async () => (await inbox(ben)).unreadCount === 2);
    expect((await inbox(ida)).notifications).toEqual([]);
  });

  it('an open page gets its own notification pushed; a page of someone else gets none', async () => {
    const anaPage = connectCollab(server, 'nc1/code/main', ana.token);
    const idaPage = connectCollab(server, 'nc1/code/main', ida.token);
    clients.push(anaPage, idaPage);
    await Promise.all([anaPage.synced(), idaPage.synced()]);
    const anaNotices = collectNotices(anaPage);
    const idaNotices = collectNotices(idaPage);
    await send(ben, 'look at this @ana');
    const pushed = await waitFor(() =>
      anaNotices.find((n): n is Extract<ClassNotice, { type: 'notification' }> => n.type === 'notification'),
    );
    expect(pushed.notification).toMatchObject({ userId: 'ana', kind: 'mention', title: 'Ben mentioned you' });
    expect((await inbox(ana)).notifications[0]!.id).toBe(pushed.notification.id);
    await announce('everyone');
    await waitFor(() => anaNotices.filter((n) => n.type === 'notification').length === 2);
    expect(idaNotices.filter((n) => n.type === 'notification')).toEqual([]);
  });

  it('mentions notify the mentioned and replies the thread author, never the author themselves', async () => {
    const question = await send(ana, 'how do closures work? @ida @ana');
    await send(ben, 'good question', question.id);
    await send(ana, 'thanks, I get it now', question.id);
    const idas = await waitFor(async () => {
      const got = await inbox(ida);
      return got.notifications.length === 1 && got;
    });
    expect(idas.notifications[0]).toMatchObject({
      kind: 'mention',
      title: 'Ana mentioned you',
      text: 'how do closures work? @ida @ana',
      link: { type: 'chat', classId: 'nc1', room: 'main', messageId: question.id },
    });
    const anas = await waitFor(async () => {
      const got = await inbox(ana);
      return got.notifications.length === 1 && got;
    });
    expect(anas.notifications[0]).toMatchObject({ kind: 'reply', title: 'Ben replied to your thread' });
    expect((await inbox(ben)).notifications).toEqual([]);
  });

  it('someone known only from the live session, whose page went away, finds what they missed on return', async () => {
    expect((await ida.api('POST', `${BASE}/sessions`, { startNow: true })).status).toBe(201);
    // The class start's notifications are stored before the guest arrives (else the guest, present by then,
    // would get one too).
    await waitFor(async () => (await inbox(ana)).notifications.length === 1, { intervalMs: 100 });
    const guest = await person(server, 'guest', 'student', 'nc1');
    const page = connectCollab(server, 'nc1/code/main', guest.token);
    clients.push(page);
    await page.synced();
    const tracker = classroomOf(server.tandem.ctx)!.tracker;
    await waitFor(() => tracker.isPresent('nc1', 'guest'));
    page.destroy();
    // Gone: neither present nor on the roster; only the session's attendance knows them.
    await waitFor(() => !tracker.isPresent('nc1', 'guest'), { message: 'guest gone' });
    await announce('missed this');
    const back = await waitFor(async () => {
      const got = await inbox(guest);
      return got.notifications.length === 1 && got;
    });
    expect(back.notifications[0]).toMatchObject({ kind: 'announcement', text: 'missed this' });
  });

  it('a poll starting (the class event the polls emit) reaches the students only', async () => {
    classroomOf(server.tandem.ctx)!.events.emit('pollStarted', {
      classId: 'nc1',
      sessionId: null,
      pollId: 'p1',
      title: 'Which loop is faster?',
      at: Date.now(),
      byId: 'ida',
    });
    const anas = await waitFor(async () => {
      const got = await inbox(ana);
      return got.notifications.length === 1 && got;
    });
    expect(anas.notifications[0]).toMatchObject({
      kind: 'pollStarted',
      title: 'Poll started',
      text: 'Which loop is faster?',
      link: { type: 'poll', pollId: 'p1' },
    });
    await waitFor(async () => (await inbox(ben)).unreadCount === 1);
    expect((await inbox(ida)).notifications).toEqual([]);
  });

  it('a person reads and marks only their own: one, someone else’s ids ignored, then all', async () => {
    await announce('one');
    await announce('two');
    await announce('three');
    const anas = await waitFor(async () => {
      const got = await inbox(ana);
      return got.notifications.length === 3 && got;
    });
    const bens = await waitFor(async () => {
      const got = await inbox(ben);
      return got.notifications.length === 3 && got;
    });
    const [a3, , a1] = anas.notifications;
    const benIds = bens.notifications.map((n) => n.id);

    const one = await ana.api('POST', `${BASE}/notifications/read`, { ids: [a1!.id, ...benIds] });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toEqual({ marked: 1, unreadCount: 2 });
    expect((await inbox(ben)).unreadCount).toBe(3);
    expect((await inbox(ana)).notifications.map((n) => n.readAt !== null)).toEqual([false, false, true]);
    expect((await inbox(ana, `?after=${a1!.id}&limit=1`)).notifications.map((n) => n.id)).toEqual([a3!.id]);

    const all = await ana.api('POST', `${BASE}/notifications/read`, { all: true });
    expect(all.body).toEqual({ marked: 2, unreadCount: 0 });
    expect((await inbox(ben)).unreadCount).toBe(3);
  });

  it('refuses callers who are not a person of this class, bad queries and bodies, and too many ids', async () => {
    expect((await platform('GET', `${BASE}/notifications`)).status).toBe(403);
    expect((await platform('POST', `${BASE}/notifications/read`, { all: true })).status).toBe(403);
    const other = await person(server, 'ana', 'student', 'other');
    expect((await other.api('GET', `${BASE}/notifications`)).status).toBe(403);
    expect((await caller(server, 'nonsense')('GET', `${BASE}/notifications`)).status).toBe(401);
    expect((await ana.api('GET', `${BASE}/notifications?limit=1000`)).status).toBe(400);
    expect((await ana.api('GET', `${BASE}/notifications?after=-1`)).status).toBe(400);
    const bad = [
      {},
      { all: false },
      { ids: [] },
      { ids: ['1'] },
      { ids: [1.5] },
      { ids: [1], all: true },
      { ids: Array.from({ length: NOTIFICATIONS_MAX_IDS + 1 }, (_, i) => i + 1) },
    ];
    for (const body of bad) {
      const res = await ana.api('POST', `${BASE}/notifications/read`, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const most = await ana.api('POST', `${BASE}/notifications/read`, {
      ids: Array.from({ length: NOTIFICATIONS_MAX_IDS }, (_, i) => i + 1),
    });
    expect(most.status).toBe(200);
  });

  it('limits how often a person calls it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await ben.api('GET', `${BASE}/notifications`)).status);
    expect(statuses.slice(0, 15).every((s) => s === 200)).toBe(true);
    expect(statuses).toContain(429);
    // Another person has their own budget.
    expect((await ana.api('GET', `${BASE}/notifications`)).status).toBe(200);
  });
});
