// Attendance from a scripted session through real providers: devices merged, leave and return, messages,
// hands, speaking time from active-speaker events, the roster's absentees; JSON and CSV.
// On both storage engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classroomOf } from '../../../server/src/classroom/index.ts';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { caller, person } from './classroomApi.ts';

type Entry = {
  userId: string;
  name: string;
  onRoster: boolean;
  presentNow: boolean;
  presentSeconds: number;
  speakingSeconds: number;
  messages: number;
  handsRaised: number;
  intervals: { joinedAt: string; leftAt: string | null }[];
};
type Report = { session: { state: string }; participants: Entry[] };

const API_KEY = 'attendance-key-0123456789';
let server: EngineTestServer;
let report: Report;
let csv: { status: number; text: string; headers: Headers };
const timeline: Record<string, number> = {};

describe.each(STORAGE_ENGINES)('attendance on %s', (engine) => {
  beforeAll(async () => {
    server = await startTestServerOn(engine, { API_KEYS: API_KEY });
    const platform = caller(server, API_KEY);
    await platform('POST', '/api/classes', { id: 'att', title: 'Attendance' });
    await platform('PUT', '/api/classes/att/roster', {
      members: [
        { userId: 'ana', name: 'Ana', role: 'student' },
        { userId: 'zoe', name: '=HYPERLINK("http://evil")', role: 'student' },
      ],
    });
    const ines = await person(server, 'ines', 'instructor', 'att');
    const ana = await person(server, 'ana', 'student', 'att');
    const li = await person(server, 'li', 'student', 'att');
    const room = classroomOf(server.tandem.ctx)!;
    const connect = async (doc: string, token: string) => {
      const c = connectCollab(server, doc, token);
      await c.synced();
      return c;
    };
    const gone = (c: CollabClient) => c.destroy();

    // Ana is here before the session starts, on a laptop and a tablet.
    const anaLaptop = await connect('att/code/main', ana.token);
    const anaTablet = await connect('att/board/main', ana.token);
    const teacher = await connect('att/code/main', ines.token);
    const started = await ines.api<{ session: { id: string } }>('POST', '/api/classes/att/sessions', {
      startNow: true,
    });
    const sessionId = started.body.session.id;
    timeline.start = Date.now();

    const liLaptop = await connect('att/code/main', li.token);
    await ana.api('POST', '/api/classes/att/chat/main/messages', { text: 'hi' });
    await ana.api('POST', '/api/classes/att/chat/main/messages', { text: 'question' });
    await li.api('POST', '/api/classes/att/chat/main/messages', { text: 'me too' });
    await li.api('POST', '/api/classes/att/hands');
    await li.api('DELETE', '/api/classes/att/hands/li');
    await li.api('POST', '/api/classes/att/hands');

    // The media service reports who holds the floor; the recorder turns that into speaking time.
    // Speaking time is wall-clock time: wait until the floor has really been held that long.
    const holdFloor = async (userId: string, ms: number) => {
      room.recorder.onActiveSpeaker('att', userId);
      const since = Date.now();
      await waitFor(() => Date.now() - since >= ms, { intervalMs: 20 });
    };
    await holdFloor('ana', 400);
    await holdFloor('li', 200);
    room.recorder.onActiveSpeaker('att', null);

    // One of Ana's devices leaves: she is still here. Then the other: she left. Then she comes back.
    gone(anaLaptop);
    await waitFor(() => room.tracker.isPresent('att', 'ana'));
    gone(anaTablet);
    await waitFor(() => !room.tracker.isPresent('att', 'ana'));
    const anaAgain = await connect('att/code/main', ana.token);

    await ines.api('POST', `/api/sessions/${sessionId}/end`);
    timeline.end = Date.now();
    for (const c of [teacher, liLaptop, anaAgain]) gone(c);

    report = (await ines.api<Report>('GET', `/api/sessions/${sessionId}/attendance`)).body;
    const res = await fetch(`${server.httpUrl}/api/sessions/${sessionId}/attendance?format=csv`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    csv = { status: res.status, text: await res.text(), headers: res.headers };
    expect((await ana.api('GET', `/api/sessions/${sessionId}/attendance`)).status).toBe(403);
  });
  afterAll(async () => {
    await server.stop();
  });

  const entry = (id: string) => report.participants.find((p) => p.userId === id)!;

  describe('attendance of a scripted session', () => {
    it('merges devices into one interval and records leaving and coming back', () => {
      const ana = entry('ana');
      expect(ana.intervals).toHaveLength(2);
      expect(ana.intervals.every((i) => i.leftAt !== null)).toBe(true);
      // Present before the start: her first interval begins with the session.
      expect(Date.parse(ana.intervals[0]!.joinedAt)).toBeGreaterThanOrEqual(timeline.start! - 1000);
      expect(ana.onRoster).toBe(true);
      expect(entry('li').intervals).toHaveLength(1);
      expect(entry('li').onRoster).toBe(false);
    });

    it('counts time present, messages, hands and speaking', () => {
      const span = (timeline.end! - timeline.start!) / 1000;
      const ines = entry('ines');
      expect(ines.presentSeconds).toBeGreaterThan(0);
      expect(ines.presentSeconds).toBeLessThanOrEqual(span + 0.2);
      expect(entry('ana').presentSeconds).toBeLessThan(ines.presentSeconds + 0.1);
      expect(entry('ana')).toMatchObject({ messages: 2, handsRaised: 0 });
      expect(entry('li')).toMatchObject({ messages: 1, handsRaised: 2 });
      expect(entry('ana').speakingSeconds).toBeGreaterThanOrEqual(0.3);
      expect(entry('ana').speakingSeconds).toBeLessThan(1.5);
      expect(entry('li').speakingSeconds).toBeGreaterThanOrEqual(0.1);
      expect(entry('li').speakingSeconds).toBeLessThan(entry('ana').speakingSeconds);
      expect(report.participants.every((p) => !p.presentNow)).toBe(true);
    });

    it('lists roster members who never came', () => {
      expect(entry('zoe')).toMatchObject({ onRoster: true, intervals: [], presentSeconds: 0, messages: 0 });
      expect(report.participants.map((p) => p.userId)).toEqual(['ines', 'zoe', 'ana', 'li']);
    });

    it('exports CSV that spreadsheets cannot run as formulas', () => {
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'user_id,name,role,on_roster,first_joined_at,last_left_at,present_seconds,speaking_seconds,messages,hands_raised,intervals,poll_answers,quiz_points',
      );
      expect(lines).toHaveLength(5);
      const zoe = lines.find((l) => l.startsWith('zoe,'))!;
      expect(zoe).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(lines.find((l) => l.startsWith('li,'))).toMatch(/,1,2,\S+\/\S+,0,0$/);
    });
  });
});
