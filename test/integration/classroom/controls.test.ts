// Live class controls through real providers: hands queue, locks taking effect on open connections,
// follow-me, bringing everyone to the stage, spotlight, announcements, end of session; and who may use them.
// On both storage engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, collectNotices, person } from './classroomApi.ts';

type Person = { token: string; api: Caller };
let server: EngineTestServer;
let ines: Person;
let ana: Person;
let li: Person;
let sessionId: string;
const clients: CollabClient[] = [];
const open = async (doc: string, who: Person) => {
  const c = connectCollab(server, doc, who.token);
  clients.push(c);
  await c.synced();
  return c;
};

describe.each(STORAGE_ENGINES)('controls on %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
    ines = await person(server, 'ines', 'instructor');
    ana = await person(server, 'ana', 'student');
    li = await person(server, 'li', 'student');
    const started = await ines.api<{ session: { id: string } }>('POST', '/api/classes/class1/sessions', {
      startNow: true,
    });
    sessionId = started.body.session.id;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  describe('raised hands', () => {
    it('form an ordered queue that staff see live; students see only their own', async () => {
      const staffView = await open('class1/code/main', ines);
      const staffNotices = collectNotices(staffView);
      const anaView = collectNotices(await open('class1/code/main', ana));

      await li.api('POST', '/api/classes/class1/hands');
      await ana.api('POST', '/api/classes/class1/hands');
      await ana.api('POST', '/api/classes/class1/hands'); // twice: still one place in the queue
      const queue = await ines.api<{ queue: { userId: string }[] }>('GET', '/api/classes/class1/hands');
      expect(queue.body.queue.map((h) => h.userId)).toEqual(['li', 'ana']);
      await waitFor(() => staffNotices.some((n) => n.type === 'hands' && n.queue.length === 2));
      await waitFor(() => anaView.some((n) => n.type === 'hand' && n.raised));
      expect(anaView.some((n) => n.type === 'hands')).toBe(false);
      const own = await ana.api<{ queue: { userId: string }[] }>('GET', '/api/classes/class1/hands');
      expect(own.body.queue.map((h) => h.userId)).toEqual(['ana']);
    });

    it('people lower their own hand; staff lower anyone’s and the person is told who did', async () => {
      const anaNotices = collectNotices(await open('class1/code/main', ana));
      await ana.api('POST', '/api/classes/class1/hands');
      await li.api('POST', '/api/classes/class1/hands');
      expect((await li.api('DELETE', '/api/classes/class1/hands/ana')).status).toBe(403);
      await ines.api('DELETE', '/api/classes/class1/hands/ana');
      await waitFor(() => anaNotices.some((n) => n.type === 'hand' && !n.raised && n.byName === 'Ines'));
      await li.api('DELETE', '/api/classes/class1/hands/li');
      expect((await ines.api<{ queue: unknown[] }>('GET', '/api/classes/class1/hands')).body.queue).toEqual(
        [],
      );
      await ana.api('POST', '/api/classes/class1/hands');
      expect((await ana.api('DELETE', '/api/classes/class1/hands')).status).toBe(403);
      await ines.api('DELETE', '/api/classes/class1/hands');
      expect(
        (await ana.api<{ myHandRaised: boolean }>('GET', '/api/classes/class1/state')).body.myHandRaised,
      ).toBe(false);
    });

    it('need a live session, and observers cannot raise one', async () => {
      const observer = await person(server, 'obs', 'observer');
      expect((await observer.api('POST', '/api/classes/class1/hands')).status).toBe(403);
      await ines.api('POST', `/api/sessions/${sessionId}/end`);
      expect((await ana.api('POST', '/api/classes/class1/hands')).status).toBe(409);
    });
  });

  describe('locks', () => {
    it('lock and unlock code and whiteboard on open connections at once, without reconnecting', async () => {
      const teacher = await open('class1/code/main', ines);
      const student = await open('class1/code/main', ana);
      const board = await open('class1/board/main', ana);
      const notices = collectNotices(student);
      expect(student.scope()).toBe('read-write');

      expect((await ana.api('PUT', '/api/classes/class1/locks', { codeLocked: true })).status).toBe(403);
      const locked = await ines.api('PUT', '/api/classes/class1/locks', {
        codeLocked: true,
        boardLocked: true,
      });
      expect(locked.body).toMatchObject({ locks: { codeLocked: true, boardLocked: true } });
      await waitFor(() => notices.some((n) => n.type === 'locks' && n.codeLocked));

      // The open student connection is read-only now: its edit never reaches the teacher.
      student.doc.getText('t').insert(0, 'blocked ');
      board.doc.getMap('shapes').set('s1', 1);
      teacher.doc.getText('t').insert(0, 'teacher ');
      await waitFor(() => student.doc.getText('t').toString().includes('teacher'));
      expect(teacher.doc.getText('t').toString()).toBe('teacher ');

      await ines.api('PUT', '/api/classes/class1/locks', { codeLocked: false });
      await waitFor(() => notices.some((n) => n.type === 'locks' && !n.codeLocked));
      const fresh = await open('class1/code/main', li);
      // What the server kept: the teacher's edit, never the locked student's.
      expect(fresh.doc.getText('t').toString()).toBe('teacher ');
      fresh.doc.getText('u').insert(0, 'unlocked');
      await waitFor(() => teacher.doc.getText('u').toString() === 'unlocked');
      expect((await li.api<{ locks: object }>('GET', '/api/classes/class1/state')).body.locks).toEqual({
        codeLocked: false,
        boardLocked: true,
      });
    });
  });

  describe('follow me, spotlight, announcements, mute all', () => {
    it('follow me is announced to the class and shown in its state', async () => {
      const notices = collectNotices(await open('class1/code/main', ana));
      expect((await ana.api('PUT', '/api/classes/class1/follow', { on: true })).status).toBe(403);
      await ines.api('PUT', '/api/classes/class1/follow', { on: true });
      await waitFor(() => notices.some((n) => n.type === 'followMe' && n.leader?.id === 'ines'));
      expect((await ana.api<{ followMe: object }>('GET', '/api/classes/class1/state')).body.followMe).toEqual(
        {
          id: 'ines',
          name: 'Ines',
        },
      );
      await ines.api('PUT', '/api/classes/class1/follow', { on: false });
      await waitFor(() => notices.some((n) => n.type === 'followMe' && n.leader === null));
    });

    it('staff bring everyone to the stage; students and bad bodies are refused', async () => {
      const notices = collectNotices(await open('class1/code/main', ana));
      const refused = await ana.api<{ error: { code: string } }>('PUT', '/api/classes/class1/stage', {
        on: true,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      expect((await ines.api('PUT', '/api/classes/class1/stage', { on: 'yes' })).status).toBe(400);
      expect((await ines.api('PUT', '/api/classes/class1/stage', { on: true, extra: 1 })).status).toBe(400);
      expect((await ana.api<{ stage: null }>('GET', '/api/classes/class1/state')).body.stage).toBeNull();
      expect(notices.some((n) => n.type === 'stage')).toBe(false);

      const on = await ines.api<{ stage: object }>('PUT', '/api/classes/class1/stage', { on: true });
      expect(on.body.stage).toEqual({ id: 'ines', name: 'Ines' });
      await waitFor(() => notices.some((n) => n.type === 'stage' && n.by?.id === 'ines'));
      expect((await ana.api<{ stage: object }>('GET', '/api/classes/class1/state')).body.stage).toEqual({
        id: 'ines',
        name: 'Ines',
      });
      // Asking again for what already is changes nothing and tells nobody again (notices of one connection
      // arrive in order: the release's notice comes after any the repeat would have sent).
      const again = await ines.api<{ stage: object }>('PUT', '/api/classes/class1/stage', { on: true });
      expect(again.status).toBe(200);
      expect(again.body.stage).toEqual({ id: 'ines', name: 'Ines' });
      await ines.api('PUT', '/api/classes/class1/stage', { on: false });
      await waitFor(() => notices.some((n) => n.type === 'stage' && n.by === null));
      expect((await li.api<{ stage: null }>('GET', '/api/classes/class1/state')).body.stage).toBeNull();
      expect((await ines.api('PUT', '/api/classes/class1/stage', { on: false })).status).toBe(200);
      await ines.api('PUT', '/api/classes/class1/stage', { on: true });
      await waitFor(() => notices.filter((n) => n.type === 'stage').length >= 3);
      const stages = notices
        .filter((n) => n.type === 'stage')
        .map((n) => (n.type === 'stage' ? n.by?.id : ''));
      expect(stages).toEqual(['ines', undefined, 'ines']);
      await ines.api('PUT', '/api/classes/class1/stage', { on: false });
    });

    it('notices say who acted, so the actor’s own page can leave them out', async () => {
      const notices = collectNotices(await open('class1/code/main', ana));
      await ines.api('POST', '/api/classes/class1/announcements', { text: 'by whom' });
      await ines.api('PUT', '/api/classes/class1/spotlight', { userId: 'li' });
      await waitFor(() => notices.some((n) => n.type === 'announcement' && n.byId === 'ines'));
      await waitFor(() => notices.some((n) => n.type === 'spotlight' && n.byId === 'ines'));
      await ines.api('POST', `/api/sessions/${sessionId}/end`);
      await waitFor(() =>
        notices.some((n) => n.type === 'session' && n.state === 'ended' && n.byId === 'ines'),
      );
    });

    it('a spotlighted workspace is readable by the class while it lasts', async () => {
      const owner = await open('class1/ws/ana', ana);
      owner.doc.getText('code').insert(0, 'print(42)');
      await owner.saved();
      const refused = connectCollab(server, 'class1/ws/ana', li.token);
      clients.push(refused);
      await waitFor(() => refused.closes.length > 0 || refused.denied.length > 0);

      const notices = collectNotices(await open('class1/code/main', li));
      await ines.api('PUT', '/api/classes/class1/spotlight', { userId: 'ana' });
      await waitFor(() => notices.some((n) => n.type === 'spotlight' && n.documentName === 'class1/ws/ana'));
      const viewer = await open('class1/ws/ana', li);
      expect(viewer.scope()).toBe('readonly');
      expect(viewer.doc.getText('code').toString()).toBe('print(42)');
      owner.doc.getText('code').insert(9, '\n');
      await waitFor(() => viewer.doc.getText('code').toString() === 'print(42)\n');

      await ines.api('PUT', '/api/classes/class1/spotlight', { userId: null });
      await waitFor(() => viewer.closes.some((c) => c.code === 4403));
      expect(owner.closes).toEqual([]);
    });

    it('announcements reach everyone; mute all says media is unavailable when it is', async () => {
      const a = collectNotices(await open('class1/code/main', ana));
      const b = collectNotices(await open('class1/board/main', li));
      expect((await ana.api('POST', '/api/classes/class1/announcements', { text: 'hi' })).status).toBe(403);
      const sent = await ines.api('POST', '/api/classes/class1/announcements', {
        text: 'Break: back at 10:15',
      });
      expect(sent.status).toBe(201);
      for (const notices of [a, b]) {
        await waitFor(() =>
          notices.some(
            (n) => n.type === 'announcement' && n.text === 'Break: back at 10:15' && n.byName === 'Ines',
          ),
        );
      }
      const mute = await ines.api<{ error: { code: string } }>('POST', '/api/classes/class1/mute-all');
      expect(mute.status).toBe(503);
      expect((await ana.api('POST', '/api/classes/class1/mute-all')).status).toBe(403);
    });

    it('a client with several documents open gets each notice once per connection, with one id', async () => {
      const socketA = await open('class1/code/main', ana);
      const socketB = await open('class1/chat/main', ana);
      const allA = collectNotices(socketA);
      const allB = collectNotices(socketB);
      await ines.api('POST', '/api/classes/class1/announcements', { text: 'once' });
      // The announcement, and Ana's own notification of it (NotificationService): each once per connection.
      // Only these count: the class-started notification of beforeEach's session may still be on its way (on
      // PostgreSQL it is sent once stored) when the sockets open.
      const ofAnnouncement = (list: typeof allA) =>
        list.filter(
          (n) =>
            n.type === 'announcement' ||
            (n.type === 'notification' && n.notification.kind === 'announcement'),
        );
      const types = ['announcement', 'notification'] as const;
      const both = (list: typeof allA) => types.every((t) => ofAnnouncement(list).some((n) => n.type === t));
      await waitFor(() => both(allA) && both(allB));
      const a = ofAnnouncement(allA);
      const b = ofAnnouncement(allB);
      expect(a).toHaveLength(2);
      expect(b).toHaveLength(2);
      for (const t of types) expect(a.find((n) => n.type === t)!.id).toBe(b.find((n) => n.type === t)!.id);
    });
  });

  describe('ending the session', () => {
    it('notifies everyone, lowers hands, ends follow-me, the stage and spotlight, and records the end', async () => {
      const notices = collectNotices(await open('class1/code/main', ana));
      await ana.api('POST', '/api/classes/class1/hands');
      await ines.api('PUT', '/api/classes/class1/follow', { on: true });
      await ines.api('PUT', '/api/classes/class1/stage', { on: true });
      await ines.api('PUT', '/api/classes/class1/spotlight', { userId: 'ana' });
      const ended = await ines.api<{ session: { state: string } }>('POST', `/api/sessions/${sessionId}/end`);
      expect(ended.body.session.state).toBe('ended');
      await waitFor(() => notices.some((n) => n.type === 'session' && n.state === 'ended'));
      const state = await ana.api<{ session: null; hands: unknown[]; followMe: null; spotlight: null }>(
        'GET',
        '/api/classes/class1/state',
      );
      expect(state.body).toMatchObject({
        session: null,
        hands: [],
        followMe: null,
        stage: null,
        spotlight: null,
        myHandRaised: false,
      });
    });
  });
});
