// Classes, rosters and sessions over REST: API keys for platforms, class tokens for people, the session
// life cycle, and the participant limit enforced on live connections. On both storage engines, each keeping
// all of the classroom.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, person } from './classroomApi.ts';

const API_KEY = 'platform-key-0123456789abcdef';
let server: EngineTestServer;
let platform: Caller;
const CLASSROOM_TABLES = [
  'classes',
  'roster',
  'sessions',
  'attendance_people',
  'attendance_intervals',
  'hands',
  'chat_rooms',
  'chat_reads',
  'chat_mutes',
  'chat_audit',
  'breakout_sets',
  'breakout_groups',
  'breakout_members',
];

describe.each(STORAGE_ENGINES)('classes-sessions on %s', (engine) => {
  beforeAll(async () => {
    server = await startTestServerOn(engine, { API_KEYS: `other-key-zzzzzzzzzzzz,${API_KEY}` });
    platform = caller(server, API_KEY);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('classes and roster', () => {
    it('platforms create, read, change and list classes with an API key', async () => {
      const created = await platform('POST', '/api/classes', {
        id: 'algo',
        title: 'Algorithms',
        maxParticipants: 30,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ class: { id: 'algo', title: 'Algorithms', maxParticipants: 30 } });
      expect((await platform('POST', '/api/classes', { id: 'algo', title: 'again' })).status).toBe(409);
      const patched = await platform('PATCH', '/api/classes/algo', { title: 'Algorithms II' });
      expect(patched.body).toMatchObject({ class: { title: 'Algorithms II', maxParticipants: 30 } });
      const list = await platform<{ classes: { id: string }[] }>('GET', '/api/classes');
      expect(list.body.classes.map((c) => c.id)).toContain('algo');
    });

    it('refuses bad credentials, bad input and people acting as platforms', async () => {
      expect((await caller(server, 'wrong-key')('GET', '/api/classes')).status).toBe(401);
      const noAuth = await fetch(`${server.httpUrl}/api/classes`);
      expect(noAuth.status).toBe(401);
      expect(((await noAuth.json()) as { error: { message: string } }).error.message).toContain('Bearer');
      const instructor = await person(server, 'ines', 'instructor', 'algo');
      expect((await instructor.api('POST', '/api/classes', { id: 'x1', title: 'x' })).status).toBe(403);
      expect((await platform('POST', '/api/classes', { id: 'a--r1g1', title: 'x' })).status).toBe(400);
      expect((await platform('POST', '/api/classes', { id: 'bad id', title: 'x' })).status).toBe(400);
      expect((await platform('POST', '/api/classes', { id: 'ok', title: 'x', extra: 1 })).status).toBe(400);
      expect((await platform('POST', '/api/classes', '{"id":')).status).toBe(400);
      const huge = await platform('POST', '/api/classes', { id: 'big', title: 'x'.repeat(40_000) });
      expect(huge.status).toBe(413);
    });

    it('lets the class’s staff change who may replay it, and nothing else; students and other classes cannot', async () => {
      await platform('POST', '/api/classes', { id: 'replays', title: 'Replays' });
      const instructor = await person(server, 'ines', 'instructor', 'replays');
      const assistant = await person(server, 'asa', 'assistant', 'replays');
      const student = await person(server, 'stu', 'student', 'replays');
      const elsewhere = await person(server, 'ines', 'instructor', 'algo');
      const set = await instructor.api('PATCH', '/api/classes/replays', { replayForStudents: true });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ class: { id: 'replays', title: 'Replays', replayForStudents: true } });
      expect(
        (await assistant.api('PATCH', '/api/classes/replays', { replayForStudents: null })).body,
      ).toMatchObject({
        class: { replayForStudents: null },
      });
      const other = await instructor.api('PATCH', '/api/classes/replays', {
        replayForStudents: true,
        title: 'Mine',
      });
      expect(other.status).toBe(403);
      expect((await instructor.api('PATCH', '/api/classes/replays', { title: 'Mine' })).status).toBe(403);
      expect((await student.api('PATCH', '/api/classes/replays', { replayForStudents: true })).status).toBe(
        403,
      );
      expect((await elsewhere.api('PATCH', '/api/classes/replays', { replayForStudents: true })).status).toBe(
        403,
      );
      expect(
        (await instructor.api('PATCH', '/api/classes/replays', { replayForStudents: 'yes' })).status,
      ).toBe(400);
      const now = await platform<{ class: { title: string; replayForStudents: boolean | null } }>(
        'GET',
        '/api/classes/replays',
      );
      expect(now.body.class).toMatchObject({ title: 'Replays', replayForStudents: null });
      // Members are told what applies, the server default (off here) included.
      const read = async () =>
        (await student.api<{ studentsMayReplay: boolean }>('GET', '/api/classes/replays')).body
          .studentsMayReplay;
      expect(await read()).toBe(false);
      await instructor.api('PATCH', '/api/classes/replays', { replayForStudents: true });
      expect(await read()).toBe(true);
    });

    it('keeps a roster with roles; staff read it, students cannot', async () => {
      await platform('POST', '/api/classes', { id: 'web', title: 'Web' });
      const put = await platform('PUT', '/api/classes/web/roster', {
        members: [
          { userId: 'ana', name: 'Ana', role: 'student' },
          { userId: 'ines', name: 'Ines', role: 'instructor' },
        ],
      });
      expect(put.status).toBe(200);
      await platform('PUT', '/api/classes/web/roster/li', { name: 'Li', role: 'student' });
      await platform('DELETE', '/api/classes/web/roster/ana');
      const staff = await person(server, 'ines', 'instructor', 'web');
      const roster = await staff.api<{ members: { userId: string; role: string }[] }>(
        'GET',
        '/api/classes/web/roster',
      );
      expect(roster.body.members).toEqual([
        { userId: 'ines', name: 'Ines', role: 'instructor' },
        { userId: 'li', name: 'Li', role: 'student' },
      ]);
      const student = await person(server, 'li', 'student', 'web');
      expect((await student.api('GET', '/api/classes/web/roster')).status).toBe(403);
      expect((await student.api('GET', '/api/classes/web')).status).toBe(200);
      const outsider = await person(server, 'li', 'student', 'algo');
      expect((await outsider.api('GET', '/api/classes/web')).status).toBe(403);
    });
  });

  describe('sessions', () => {
    it('go scheduled -> live -> ended with times; one live session per class', async () => {
      await platform('POST', '/api/classes', { id: 'db', title: 'Databases', maxParticipants: 12 });
      const scheduled = await platform<{ session: { id: string; state: string; maxParticipants: number } }>(
        'POST',
        '/api/classes/db/sessions',
        { title: 'Week 1', scheduledStart: '2030-01-01T09:00:00Z', scheduledEnd: '2030-01-01T10:00:00Z' },
      );
      expect(scheduled.status).toBe(201);
      expect(scheduled.body.session).toMatchObject({
        state: 'scheduled',
        maxParticipants: 12,
        scheduledStart: '2030-01-01T09:00:00.000Z',
      });
      const id = scheduled.body.session.id;
      const second = await platform<{ session: { id: string } }>('POST', '/api/classes/db/sessions', {});

      const started = await platform('POST', `/api/sessions/${id}/start`);
      expect(started.body).toMatchObject({ session: { state: 'live' } });
      expect((await platform('POST', `/api/sessions/${second.body.session.id}/start`)).status).toBe(409);
      expect((await platform('POST', `/api/sessions/${id}/start`)).status).toBe(409);

      const ended = await platform<{ session: { state: string; startedAt: string; endedAt: string } }>(
        'POST',
        `/api/sessions/${id}/end`,
      );
      expect(ended.body.session.state).toBe('ended');
      expect(Date.parse(ended.body.session.endedAt)).toBeGreaterThanOrEqual(
        Date.parse(ended.body.session.startedAt),
      );
      expect((await platform('POST', `/api/sessions/${id}/end`)).status).toBe(409);
      const bad = await platform('POST', '/api/classes/db/sessions', {
        scheduledStart: '2030-01-01T10:00:00Z',
        scheduledEnd: '2030-01-01T09:00:00Z',
      });
      expect(bad.status).toBe(400);
    });

    it('instructors start and end a class from the UI with their token; students and assistants cannot', async () => {
      const ines = await person(server, 'ines', 'instructor', 'lab');
      const ana = await person(server, 'ana', 'student', 'lab');
      const assistant = await person(server, 'asa', 'assistant', 'lab');
      expect((await ana.api('POST', '/api/classes/lab/sessions', { startNow: true })).status).toBe(403);
      expect((await assistant.api('POST', '/api/classes/lab/sessions', { startNow: true })).status).toBe(403);
      const live = await ines.api<{ session: { id: string; state: string } }>(
        'POST',
        '/api/classes/lab/sessions',
        {
          startNow: true,
        },
      );
      expect(live.body.session.state).toBe('live');
      const state = await ana.api<{ session: { id: string } }>('GET', '/api/classes/lab/state');
      expect(state.body.session.id).toBe(live.body.session.id);
      expect((await ana.api('POST', `/api/sessions/${live.body.session.id}/end`)).status).toBe(403);
      const other = await person(server, 'ines', 'instructor', 'elsewhere');
      expect((await other.api('POST', `/api/sessions/${live.body.session.id}/end`)).status).toBe(403);
      expect((await ines.api('POST', `/api/sessions/${live.body.session.id}/end`)).status).toBe(200);
    });

    it('a live session admits students up to its limit; staff and a second device still get in', async () => {
      const ines = await person(server, 'ines', 'instructor', 'tiny');
      await ines.api('POST', '/api/classes/tiny/sessions', { startNow: true, maxParticipants: 2 });
      const clients = [];
      for (const sub of ['s1', 's2']) {
        const c = connectCollab(
          server,
          'tiny/code/main',
          await server.token({ sub, role: 'student', cls: 'tiny' }),
        );
        await c.synced();
        clients.push(c);
      }
      const third = connectCollab(
        server,
        'tiny/code/main',
        await server.token({ sub: 's3', role: 'student', cls: 'tiny' }),
      );
      await waitFor(() => third.closes.length > 0, { timeoutMs: 5000 });
      expect(third.closes[0]).toMatchObject({ code: 4503 });
      expect(third.closes[0]!.reason).toContain('full');

      const staff = connectCollab(server, 'tiny/code/main', ines.token);
      const secondDevice = connectCollab(
        server,
        'tiny/board/main',
        await server.token({ sub: 's1', role: 'student', cls: 'tiny' }),
      );
      await staff.synced();
      await secondDevice.synced();
      expect(secondDevice.closes).toEqual([]);
      for (const c of [...clients, third, staff, secondDevice]) c.destroy();
    });
  });

  describe('storage', () => {
    it('keeps every classroom row on the configured engine (no SQLite at all with PostgreSQL)', async () => {
      const { storage } = server.tandem.ctx;
      expect(storage.engine).toBe(engine);
      expect(await storage.classes.get('algo')).toMatchObject({ id: 'algo' });
      expect((await storage.sessions.list('tiny')).length).toBeGreaterThan(0);
      if (storage.engine === 'postgres') {
        expect(fs.readdirSync(server.dataDir).filter((f) => f.startsWith('tandem.db'))).toEqual([]);
        return;
      }
      const sqliteRows = CLASSROOM_TABLES.map(
        (table) => (storage.db.sql.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
      ).reduce((a, b) => a + b, 0);
      expect(sqliteRows).toBeGreaterThan(0);
    });
  });
});
