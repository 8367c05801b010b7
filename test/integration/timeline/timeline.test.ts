// The class timeline over REST on both engines, from a scripted class: an instructor and a student type into
// the class code and the student's workspace, chat (one message edited, one deleted later), raise and lower a
// hand, lock and unlock code, announce. The server's own state is captured at known moments; then a document
// read at each moment equals what the server held, timeline pages cover every event once and in order, kinds
// filter, moderation applies as of now, chat has no keystroke log, and the refusals. A second class's session
// opens and closes a poll and breakout rooms and has a recording with tracks (stored as its manifest): their
// events, per track segment for the recording, and the kinds filter.
import {
  type ActivityStripReply,
  type BlameReply,
  type ChatMessage,
  createCodeFile,
  type DocumentAtReply,
  type DocumentUpdatesReply,
  getCodeFile,
  type ReplayInfo,
  type TimelineEvent,
  type TimelineReply,
} from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, person } from '../classroom/classroomApi.ts';

const API_KEY = 'timeline-test-key-0123456789';
const CODE = 'class1/code/main';
const ANA_WS = 'class1/ws/ana';
const BEN_WS = 'class1/ws/ben';
const SECRET = 'the-deleted-secret-text';

interface Moment {
  t: number;
  texts: Record<string, string>;
}

describe.each(STORAGE_ENGINES)('class timeline: %s', (engine) => {
  let server: EngineTestServer;
  const clients: CollabClient[] = [];
  let teacher: Caller;
  let ana: Caller;
  let platform: Caller;
  let sessionId: string;
  const moments: Moment[] = [];
  let deletedId = '';
  let editedId = '';

  /** Waits until the server's clock has moved past `t` (so the next action is logged after it). */
  const after = (t: number) => waitFor(() => Date.now() > t + 1, { message: 'clock moved' });

  /** What the server holds now for each document, at a moment no update is in flight. */
  const capture = async () => {
    const texts: Record<string, string> = {};
    for (const name of [CODE, ANA_WS]) {
      texts[name] = await server.tandem.ctx.collab.read(
        name,
        (doc) => getCodeFile(doc, 'main')?.text.toString() ?? '',
      );
    }
    const t = Date.now();
    moments.push({ t, texts });
    await after(t);
  };

  const type = async (client: CollabClient, text: string) => {
    const file = getCodeFile(client.doc, 'main')!;
    file.text.insert(file.text.length, text);
    await client.saved();
  };

  beforeAll(async () => {
    // Checkpoints every 3 updates: seeks below start from checkpoints the server wrote as the class typed.
    server = await startTestServerOn(engine, { API_KEYS: API_KEY, TIMELINE_CHECKPOINT_EVERY_UPDATES: '3' });
    platform = caller(server, API_KEY);
    teacher = (await person(server, 'tess', 'instructor')).api;
    ana = (await person(server, 'ana', 'student')).api;
    const ben = await person(server, 'ben', 'student');
    const created = await teacher<{ session: { id: string } }>('POST', '/api/classes/class1/sessions', {
      startNow: true,
    });
    expect(created.status).toBe(201);
    sessionId = created.body.session.id;
    await capture();

    const tess = connectCollab(server, CODE, await server.token({ sub: 'tess', role: 'instructor' }));
    const anaCode = connectCollab(server, CODE, await server.token({ sub: 'ana', role: 'student' }));
    const anaWs = connectCollab(server, ANA_WS, await server.token({ sub: 'ana', role: 'student' }));
    const benWs = connectCollab(server, BEN_WS, ben.token);
    clients.push(tess, anaCode, anaWs, benWs);
    await Promise.all(clients.map((c) => c.synced()));
    createCodeFile(tess.doc, { id: 'main', name: 'main.py', content: 'print(1)\n', createdBy: 'tess' });
    await tess.saved();
    await waitFor(() => getCodeFile(anaCode.doc, 'main') !== null);
    createCodeFile(anaWs.doc, { id: 'main', name: 'ana.py', content: '', createdBy: 'ana' });
    createCodeFile(benWs.doc, { id: 'main', name: 'ben.py', content: 'ben was here\n', createdBy: 'ben' });
    await Promise.all([anaWs.saved(), benWs.saved()]);
    await capture();

    for (let i = 0; i < 6; i++) {
      await type(i % 2 ? tess : anaCode, `x${i} = ${i}\n`);
      await type(anaWs, `step ${i}\n`);
      if (i === 1) {
        const posted = await ana<{ message: ChatMessage }>('POST', '/api/classes/class1/chat/main/messages', {
          text: SECRET,
        });
        deletedId = posted.body.message.id;
        const other = await ana<{ message: ChatMessage }>('POST', '/api/classes/class1/chat/main/messages', {
          text: 'first draft',
        });
        editedId = other.body.message.id;
      }
      if (i === 2) {
        expect((await ana('POST', '/api/classes/class1/hands')).status).toBe(200);
        expect((await teacher('PUT', '/api/classes/class1/locks', { codeLocked: true })).status).toBe(200);
      }
      if (i === 3) {
        await ana('PATCH', `/api/classes/class1/chat/main/messages/${editedId}`, { text: 'second draft' });
        expect((await teacher('PUT', '/api/classes/class1/locks', { codeLocked: false })).status).toBe(200);
        expect((await teacher('DELETE', '/api/classes/class1/hands/ana')).status).toBe(200);
        await teacher('POST', '/api/classes/class1/announcements', { text: 'break in five' });
      }
      if (i === 4) {
        expect((await teacher('PUT', '/api/classes/class1/follow', { on: true })).status).toBe(200);
        expect((await teacher('PUT', '/api/classes/class1/spotlight', { userId: 'ana' })).status).toBe(200);
      }
      if (i === 5) {
        expect((await teacher('PUT', '/api/classes/class1/spotlight', { userId: 'ben' })).status).toBe(200);
        expect((await teacher('PUT', '/api/classes/class1/spotlight', { userId: null })).status).toBe(200);
        expect((await teacher('PUT', '/api/classes/class1/follow', { on: false })).status).toBe(200);
      }
      await capture();
    }
    // Moderation after the fact: the message is deleted at the end of the class.
    expect((await teacher('DELETE', `/api/classes/class1/chat/main/messages/${deletedId}`)).status).toBe(200);
    await capture();
    expect((await teacher('POST', `/api/sessions/${sessionId}/end`)).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
  });

  const at = (name: string, t: number, who: Caller = teacher) =>
    who<DocumentAtReply>('GET', `/api/documents/${name}/at?t=${t}`);

  const textOf = (reply: DocumentAtReply) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(reply.update, 'base64'));
    return getCodeFile(doc, 'main')?.text.toString() ?? '';
  };

  it('reads each document at each captured moment as the server held it', async () => {
    expect(moments.length).toBeGreaterThan(6);
    // Written in the background as updates accrued, every third sequence number.
    const timeline = server.tandem.ctx.storage.timeline;
    await waitFor(async () => (await timeline.checkpoints(CODE)).length >= 2, {
      message: 'checkpoints written',
    });
    expect((await timeline.checkpoints(CODE)).every((c) => c.seq % 3 === 0)).toBe(true);
    for (const moment of moments) {
      for (const name of [CODE, ANA_WS]) {
        const reply = await at(name, moment.t);
        expect(reply.status).toBe(200);
        expect(textOf(reply.body)).toBe(moment.texts[name]);
        expect(reply.body.document).toBe(name);
      }
    }
    // The update alone, as the replay page asks for it: no JSON view, the same state.
    const t = moments[3]!.t;
    const whole = await at(CODE, t);
    const bare = await teacher<DocumentAtReply>('GET', `/api/documents/${CODE}/at?t=${t}&content=false`);
    expect(bare.status).toBe(200);
    expect(whole.body.content).toBeDefined();
    expect(bare.body).not.toHaveProperty('content');
    expect(bare.body).toMatchObject({ document: CODE, t, seq: whole.body.seq });
    expect(textOf(bare.body)).toBe(moments[3]!.texts[CODE]);
  });

  it('blames a file as it was at a time', async () => {
    const blame = (t: number, who: Caller = teacher) =>
      who<BlameReply>('GET', `/api/documents/${CODE}/blame?file=main&t=${t}`);
    const early = await blame(moments[2]!.t);
    expect(early.status).toBe(200);
    expect(early.body.lines.map((l) => l.userId)).toEqual(['tess', 'ana', null]);
    const later = await blame(moments[3]!.t);
    expect(later.body.lines.map((l) => l.userId)).toEqual(['tess', 'ana', 'tess', null]);
    expect(moments[3]!.texts[CODE]).toBe('print(1)\nx0 = 0\nx1 = 1\n');
    // The past is a replay: refused to a student while the class does not allow it; now is not.
    expect((await blame(moments[3]!.t, ana)).status).toBe(403);
    expect((await ana('GET', `/api/documents/${CODE}/blame?file=main`)).status).toBe(200);
    expect((await teacher('GET', `/api/documents/${CODE}/blame?file=main&t=soon`)).status).toBe(400);
  });

  it('pages cover every event exactly once, in (at, id) order', async () => {
    const whole = await teacher<TimelineReply>('GET', `/api/sessions/${sessionId}/timeline?limit=1000`);
    expect(whole.status).toBe(200);
    expect(whole.body.next).toBeNull();
    const all = whole.body.events;
    const kinds = new Set(all.map((e) => e.kind));
    for (const k of ['session', 'presence', 'edit', 'chat', 'hand', 'announcement', 'lock', 'follow'])
      expect(kinds).toContain(k);
    const paged: TimelineEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof teacher<TimelineReply>>> = await teacher<TimelineReply>(
        'GET',
        `/api/sessions/${sessionId}/timeline?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(7);
      paged.push(...page.body.events);
      cursor = page.body.next;
    } while (cursor);
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(a.at < b.at || (a.at === b.at && a.id < b.id)).toBe(true);
    }
    // Every logged update of the class's code and workspaces is an edit event.
    const logged = await server.tandem.ctx.storage.documents.history(CODE, 0, 10_000);
    const codeEdits = all.filter((e) => e.kind === 'edit' && e.data.document === CODE);
    expect(codeEdits.map((e) => (e.kind === 'edit' ? e.data.seq : 0))).toEqual(logged.map((h) => h.seq));
    const lock = all.filter((e) => e.kind === 'lock').map((e) => (e.kind === 'lock' ? e.data : null));
    expect(lock).toEqual([
      { target: 'code', locked: true },
      { target: 'code', locked: false },
    ]);
    const session = all
      .filter((e) => e.kind === 'session')
      .map((e) => (e.kind === 'session' ? e.data.action : ''));
    expect(session).toEqual(['started', 'ended']);
    expect(whole.body.session.endedAt).toBe(all.at(-1)!.kind === 'session' ? all.at(-1)!.at : -1);
    const presence = all
      .filter((e) => e.kind === 'presence')
      .map((e) => (e.kind === 'presence' ? e.data.action : ''));
    expect(presence.filter((a) => a === 'joined').length).toBeGreaterThan(0);
    expect(presence.filter((a) => a === 'left').length).toBe(presence.filter((a) => a === 'joined').length);
    const follow = all.filter((e) => e.kind === 'follow');
    expect(
      follow.map((e) => (e.kind === 'follow' ? [e.data.mode, e.data.action, e.data.document] : [])),
    ).toEqual([
      ['follow', 'started', null],
      ['spotlight', 'started', ANA_WS],
      ['spotlight', 'moved', BEN_WS],
      ['spotlight', 'ended', null],
      ['follow', 'ended', null],
    ]);
    expect(follow.every((e) => e.actor?.id === 'tess' && typeof e.actor.name === 'string')).toBe(true);
  });

  it('filters by kind and time', async () => {
    const reply = await teacher<TimelineReply>(
      'GET',
      `/api/sessions/${sessionId}/timeline?kinds=hand,announcement`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.events.map((e) => `${e.kind}:${'action' in e.data ? e.data.action : ''}`)).toEqual([
      'hand:raised',
      'hand:lowered',
      'announcement:',
    ]);
    const mid = moments[4]!.t;
    const later = await teacher<TimelineReply>(
      'GET',
      `/api/sessions/${sessionId}/timeline?from=${mid}&limit=1000`,
    );
    expect(later.body.events.length).toBeGreaterThan(0);
    expect(later.body.events.every((e) => e.at >= mid)).toBe(true);
  });

  it('shows a message deleted later as deleted, in the timeline and in the document at any time', async () => {
    const reply = await teacher<TimelineReply>('GET', `/api/sessions/${sessionId}/timeline?kinds=chat`);
    const chat = reply.body.events.filter((e) => e.kind === 'chat');
    const ofDeleted = chat.filter((e) => e.kind === 'chat' && e.data.message.id === deletedId);
    expect(ofDeleted.map((e) => (e.kind === 'chat' ? e.data.action : ''))).toEqual(['posted', 'deleted']);
    for (const e of ofDeleted) {
      if (e.kind !== 'chat') continue;
      expect(e.data.message.text).toBe('');
      expect(e.data.message.deleted).not.toBeNull();
    }
    expect(reply.text).not.toContain(SECRET);
    const edits = chat.filter((e) => e.kind === 'chat' && e.data.message.id === editedId);
    expect(edits.map((e) => (e.kind === 'chat' ? [e.data.action, e.data.message.text] : []))).toEqual([
      ['posted', 'first draft'],
      ['edited', 'second draft'],
    ]);
    // Before the delete, the room held the text; read as of then, it is the tombstone of today.
    const before = moments.at(-2)!.t;
    const room = await at('class1/chat/main', before);
    expect(room.status).toBe(200);
    expect(room.text).not.toContain(SECRET);
    expect(Buffer.from(room.body.update, 'base64').toString('latin1')).not.toContain(SECRET);
    const messages = room.body.content!.messages as Record<string, ChatMessage>;
    expect(messages[deletedId]!.text).toBe('');
    expect(messages[deletedId]!.deleted).not.toBeNull();
    expect(messages[editedId]!.text).toBe('second draft');
  });

  it('gives logged updates for playback, and refuses chat', async () => {
    const first = await teacher<DocumentUpdatesReply>('GET', `/api/documents/${CODE}/updates?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.updates.map((u) => u.seq)).toEqual([1, 2]);
    expect(first.body.more).toBe(true);
    const all = await teacher<DocumentUpdatesReply>(
      'GET',
      `/api/documents/${CODE}/updates?after=0&limit=5000`,
    );
    const doc = new Y.Doc();
    for (const u of all.body.updates) Y.applyUpdate(doc, Buffer.from(u.update, 'base64'));
    expect(getCodeFile(doc, 'main')!.text.toString()).toBe(moments.at(-1)!.texts[CODE]);
    expect(all.body.more).toBe(false);
    const until = await teacher<DocumentUpdatesReply>(
      'GET',
      `/api/documents/${CODE}/updates?until=${moments[3]!.t}&limit=5000`,
    );
    expect(until.body.updates.every((u) => u.ts <= moments[3]!.t)).toBe(true);
    expect(until.body.updates.length).toBeLessThan(all.body.updates.length);
    const chat = await teacher('GET', '/api/documents/class1/chat/main/updates');
    expect(chat.status).toBe(400);
    expect(chat.text).toMatch(/chat documents have no update log/);
  });

  it('summarizes activity and opens the replay', async () => {
    const strip = await teacher<ActivityStripReply>(
      'GET',
      `/api/sessions/${sessionId}/timeline/activity?buckets=20`,
    );
    expect(strip.status).toBe(200);
    expect(strip.body.edits).toHaveLength(20);
    const whole = await teacher<TimelineReply>(
      'GET',
      `/api/sessions/${sessionId}/timeline?kinds=edit&limit=1000`,
    );
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(strip.body.edits)).toBe(whole.body.events.length);
    expect(sum(strip.body.chat)).toBe(2);
    const info = await teacher<ReplayInfo>('GET', `/api/sessions/${sessionId}/replay`);
    expect(info.status).toBe(200);
    expect(info.body.canExport).toBe(true);
    expect(info.body.documents.map((d) => d.name).sort()).toEqual(
      [CODE, ANA_WS, BEN_WS, 'class1/chat/main'].sort(),
    );
    expect(info.body.documents.find((d) => d.name === ANA_WS)!.title).toBe("Ana's workspace");
    expect(info.body.names.ana).toBe('Ana');
  });

  it('refuses students unless the class allows replay, strangers and other classes', async () => {
    const paths = [
      `/api/sessions/${sessionId}/timeline`,
      `/api/sessions/${sessionId}/timeline/activity`,
      `/api/sessions/${sessionId}/replay`,
      `/api/documents/${ANA_WS}/at?t=${Date.now()}`,
      `/api/documents/${CODE}/updates`,
    ];
    for (const path of paths) expect((await ana('GET', path)).status, path).toBe(403);
    const stranger = (await person(server, 'zed', 'instructor', 'class2')).api;
    for (const path of paths) expect((await stranger('GET', path)).status, path).toBe(403);
    const anonymous = caller(server, 'not-a-token');
    expect((await anonymous('GET', paths[0]!)).status).toBe(401);

    const allowed = await platform('PATCH', '/api/classes/class1', { replayForStudents: true });
    expect(allowed.status).toBe(200);
    expect((allowed.body as { class: { replayForStudents: boolean } }).class.replayForStudents).toBe(true);
    for (const path of paths) expect((await ana('GET', path)).status, path).toBe(200);
    // Still only what she may read now: not Ben's workspace.
    const mine = await ana<TimelineReply>('GET', `/api/sessions/${sessionId}/timeline?kinds=edit&limit=1000`);
    const docs = new Set(mine.body.events.map((e) => (e.kind === 'edit' ? e.data.document : '')));
    expect(docs).toEqual(new Set([CODE, ANA_WS]));
    expect((await ana('GET', `/api/documents/${BEN_WS}/at?t=${Date.now()}`)).status).toBe(403);
    const info = await ana<ReplayInfo>('GET', `/api/sessions/${sessionId}/replay`);
    expect(info.body.canExport).toBe(false);
    expect(info.body.documents.map((d) => d.name)).not.toContain(BEN_WS);
    // The recordings follow the same setting.
    expect((await ana('GET', `/api/sessions/${sessionId}/recordings`)).status).toBe(200);
    await platform('PATCH', '/api/classes/class1', { replayForStudents: false });
    expect((await ana('GET', `/api/sessions/${sessionId}/recordings`)).status).toBe(403);
    expect((await ana('GET', paths[0]!)).status).toBe(403);
    await platform('PATCH', '/api/classes/class1', { replayForStudents: null });
  });

  it('answers bad input with 400 and a clear message', async () => {
    const cases: [string, RegExp][] = [
      [`/api/documents/${CODE}/at?t=abc`, /t/],
      [`/api/documents/${CODE}/at`, /t/],
      [`/api/documents/${CODE}/at?t=${Date.now() + 3 * 86_400_000}`, /more than a day/],
      [`/api/sessions/${sessionId}/timeline?cursor=garbage!`, /cursor/],
      [
        `/api/sessions/${sessionId}/timeline?cursor=${Buffer.from('{"x":1}').toString('base64url')}`,
        /cursor/,
      ],
      [`/api/sessions/${sessionId}/timeline?limit=5000`, /limit/],
      [`/api/sessions/${sessionId}/timeline?kinds=edit,nope`, /kinds/],
      [`/api/sessions/${sessionId}/timeline/activity?buckets=1`, /buckets/],
      [`/api/documents/${CODE}/updates?limit=100000`, /limit/],
      ['/api/documents/class1/nope/main/at?t=1', /kind/],
      [`/api/documents/${CODE}/at?t=1&content=no`, /content/],
    ];
    for (const [path, message] of cases) {
      const reply = await teacher('GET', path);
      expect(reply.status, path).toBe(400);
      expect(reply.text, path).toMatch(message);
    }
    expect((await teacher('GET', '/api/sessions/nope/timeline')).status).toBe(404);
  });

  it('has breakouts, polls and recording tracks as events, and filters them by kind', async () => {
    // A second class and session, so the scripted class above keeps its documents.
    const tutor = (await person(server, 'tia', 'instructor', 'class2')).api;
    const started = await tutor<{ session: { id: string } }>('POST', '/api/classes/class2/sessions', {
      startNow: true,
    });
    expect(started.status, started.text).toBe(201);
    const sid = started.body.session.id;
    const startedAt = Date.now();
    await waitFor(() => Date.now() > startedAt + 1);
    const poll = await tutor<{ poll: { id: string } }>('POST', '/api/classes/class2/polls', {
      definition: {
        title: 'Loops',
        kind: 'poll',
        anonymous: false,
        timerSeconds: null,
        questions: [{ type: 'single', prompt: 'Which loop?', options: ['for', 'while'] }],
      },
      launch: true,
    });
    expect(poll.status, poll.text).toBe(201);
    const pollId = poll.body.poll.id;
    expect((await tutor('POST', `/api/polls/${pollId}/close`)).status).toBe(200);
    const opened = await tutor<{ breakouts: { setId: number; groups: { classId: string; name: string }[] } }>(
      'POST',
      '/api/classes/class2/breakouts',
      { mode: 'chosen', groups: [{ name: 'Reds', members: ['uma'] }, { members: ['vic'] }] },
    );
    expect(opened.status, opened.text).toBe(201);
    expect((await tutor('POST', '/api/classes/class2/breakouts/close')).status).toBe(200);
    // A recording with two tracks, one of them paused once (two segments), one still being written.
    const recordedAt = Date.now();
    const segment = (
      id: string,
      start: number,
      end: number | null,
      endReason: 'paused' | 'stopped' | null,
    ) => ({
      id,
      file: `${id}.webm`,
      container: 'webm' as const,
      startOffsetMs: start,
      endOffsetMs: end,
      endReason,
      bytes: end === null ? null : 100,
      repaired: false,
    });
    const track = (
      id: string,
      userId: string,
      source: 'mic' | 'screen',
      segments: ReturnType<typeof segment>[],
    ) => ({
      id,
      producerId: `p-${id}`,
      userId,
      name: userId === 'tia' ? 'Tia' : 'Uma',
      role: userId === 'tia' ? ('instructor' as const) : ('student' as const),
      source,
      kind: source === 'mic' ? ('audio' as const) : ('video' as const),
      codec: source === 'mic' ? 'audio/opus' : 'video/VP8',
      startOffsetMs: segments[0]!.startOffsetMs,
      endOffsetMs: segments.at(-1)!.endOffsetMs,
      pauses: [],
      gaps: [],
      segments,
    });
    await server.tandem.ctx.storage.recordings.create(
      {
        version: 1,
        id: 'rec1',
        sessionId: sid,
        classId: 'class2',
        folder: 'class2-rec1',
        state: 'stopped',
        startedAt: recordedAt,
        stoppedAt: recordedAt + 9,
        stopReason: 'stopped by Tia',
        startedBy: 'tia',
        tracks: [
          track('t1', 'tia', 'mic', [segment('g1', 1, 3, 'paused'), segment('g2', 5, 8, 'stopped')]),
          track('t2', 'uma', 'screen', [segment('g3', 2, null, null)]),
        ],
      },
      recordedAt,
    );
    await waitFor(() => Date.now() > recordedAt + 10);
    expect((await tutor('POST', `/api/sessions/${sid}/end`)).status).toBe(200);

    const kinds = 'breakout,poll,recording';
    const reply = await tutor<TimelineReply>(
      'GET',
      `/api/sessions/${sid}/timeline?kinds=${kinds}&limit=1000`,
    );
    expect(reply.status, reply.text).toBe(200);
    const events = reply.body.events;
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['breakout', 'poll', 'recording']));
    const polls = events.flatMap((e) =>
      e.kind === 'poll' ? [[e.data.action, e.data.pollId, e.data.title]] : [],
    );
    expect(polls).toEqual([
      ['started', pollId, 'Loops'],
      ['closed', pollId, 'Loops'],
    ]);
    const breakouts = events.flatMap((e) => (e.kind === 'breakout' ? [e.data] : []));
    expect(breakouts.map((b) => b.action)).toEqual(['opened', 'closed']);
    for (const b of breakouts) {
      expect(b.setId).toBe(String(opened.body.breakouts.setId));
      expect(b.groups).toEqual(
        opened.body.breakouts.groups.map((g) => ({ classId: g.classId, name: g.name })),
      );
    }
    expect(breakouts[0]!.groups.map((g) => g.name)[0]).toBe('Reds');
    const recording = events.flatMap((e) =>
      e.kind === 'recording'
        ? [
            [
              e.at - recordedAt,
              e.data.action,
              'trackId' in e.data
                ? `${e.data.userId}/${e.data.source}/${e.data.segmentId}/${e.data.reason}`
                : '',
              e.actor?.id ?? null,
            ],
          ]
        : [],
    );
    expect(recording).toEqual([
      [0, 'started', '', 'tia'],
      [1, 'trackStarted', 'tia/mic/g1/null', 'tia'],
      [2, 'trackStarted', 'uma/screen/g3/null', 'uma'],
      [3, 'trackEnded', 'tia/mic/g1/paused', 'tia'],
      [5, 'trackStarted', 'tia/mic/g2/null', 'tia'],
      [8, 'trackEnded', 'tia/mic/g2/stopped', 'tia'],
      [9, 'stopped', '', null],
    ]);
    // One kind alone, and the whole timeline has them too, in order.
    const onlyPolls = await tutor<TimelineReply>('GET', `/api/sessions/${sid}/timeline?kinds=poll`);
    expect(onlyPolls.body.events.map((e) => e.kind)).toEqual(['poll', 'poll']);
    const whole = await tutor<TimelineReply>('GET', `/api/sessions/${sid}/timeline?limit=1000`);
    expect(whole.body.events.filter((e) => kinds.split(',').includes(e.kind)).map((e) => e.id)).toEqual(
      events.map((e) => e.id),
    );
  });

  it('rate-limits seeks and timeline reads per caller', async () => {
    const seeker = (await person(server, 'amy', 'assistant')).api;
    const seeks = [];
    for (let i = 0; i < 70; i++)
      seeks.push(await seeker('GET', `/api/documents/${CODE}/at?t=${moments[2]!.t}`));
    expect(seeks[0]!.status).toBe(200);
    const refused = seeks.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.text).toMatch(/too many seeks/);
    // When to try again (the replay page retries a refused seek once, after it).
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    const reader = (await person(server, 'abe', 'assistant')).api;
    const pages = [];
    for (let i = 0; i < 55; i++)
      pages.push(await reader('GET', `/api/sessions/${sessionId}/timeline?limit=1`));
    expect(pages[0]!.status).toBe(200);
    expect(pages.some((r) => r.status === 429 && /too many timeline requests/.test(r.text))).toBe(true);
  });
});
