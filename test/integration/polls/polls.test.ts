// Polls and quizzes over REST and live, on both storage engines: a poll from a draft made ahead of time with an
// API key to results shown to the class; a quiz whose answers students never get before it closes, with a code
// answer checked after normalizing whitespace and a text answer marked by staff; results in the attendance
// report and its CSV; an anonymous poll that no API ties to anyone (its text answers listed bare); the session's
// end closing open polls.
import type { ClassState, PollDefinition, PollResults, PollView } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, collectNotices, person } from '../classroom/classroomApi.ts';

const API_KEY = 'platform-key-0123456789abcdef';
const CLASS = 'pc1';
const BASE = `/api/classes/${CLASS}`;
type Person = Awaited<ReturnType<typeof person>>;

const poll: PollDefinition = {
  title: 'Favourite loop',
  kind: 'poll',
  anonymous: false,
  timerSeconds: null,
  questions: [
    { type: 'single', prompt: 'Which loop do you use most?', options: ['for', 'while', 'map'] },
    { type: 'text', prompt: 'Why?' },
  ],
};
const quiz: PollDefinition = {
  title: 'Python basics',
  kind: 'quiz',
  anonymous: false,
  timerSeconds: null,
  questions: [
    { type: 'multiple', prompt: 'Which are falsy?', options: ['0', '"a"', '[]'], correct: [0, 2], points: 2 },
    { type: 'code', prompt: 'Print hello', expected: 'for i in range(3):\n    print("hello")\n' },
    { type: 'text', prompt: 'What does len do?', points: 3 },
  ],
};

let server: EngineTestServer;
let platform: Caller;
let ida: Person;
let ana: Person;
let ben: Person;
let obi: Person;
const clients: { destroy(): void }[] = [];

const create = async (who: Caller, definition: PollDefinition, launch = false) => {
  const res = await who<{ poll: PollView }>('POST', `${BASE}/polls`, { definition, launch });
  expect(res.status, res.text).toBe(201);
  return res.body.poll;
};
const answer = async (who: Person, pollId: string, answers: unknown[], status = 200) => {
  const res = await who.api<{ poll: PollView }>('PUT', `/api/polls/${pollId}/answers`, { answers });
  expect(res.status, res.text).toBe(status);
  return res.body.poll;
};
/** Every text or code answer listed anywhere in a reply. */
const listedAnswers = (json: unknown): Record<string, unknown>[] => {
  if (Array.isArray(json)) return json.flatMap(listedAnswers);
  if (!json || typeof json !== 'object') return [];
  const object = json as Record<string, unknown>;
  const here = typeof object.text === 'string' && 'userId' in object ? [object] : [];
  return [...here, ...Object.values(object).flatMap(listedAnswers)];
};
const view = async (who: Caller, pollId: string) => {
  const res = await who<{ poll: PollView }>('GET', `/api/polls/${pollId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.poll;
};

describe.each(STORAGE_ENGINES)('polls on %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine, { API_KEYS: API_KEY });
    platform = caller(server, API_KEY);
    ida = await person(server, 'ida', 'instructor', CLASS);
    ana = await person(server, 'ana', 'student', CLASS);
    ben = await person(server, 'ben', 'student', CLASS);
    obi = await person(server, 'obi', 'observer', CLASS);
    expect((await platform('POST', '/api/classes', { id: CLASS, title: 'Python' })).status).toBe(201);
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

  it('runs a poll from a draft made over the API to results shown to the class, live', async () => {
    const draft = await create(platform, poll);
    expect(draft.state).toBe('draft');
    const session = await ida.api<{ session: { id: string } }>('POST', `${BASE}/sessions`, {
      startNow: true,
    });
    const anaPage = connectCollab(server, `${CLASS}/code/main`, ana.token);
    const idaPage = connectCollab(server, `${CLASS}/code/main`, ida.token);
    clients.push(anaPage, idaPage);
    await Promise.all([anaPage.synced(), idaPage.synced()]);
    const anaNotices = collectNotices(anaPage);
    const idaNotices = collectNotices(idaPage);

    // Editing a draft tells staff pages only.
    const edited = await ida.api('PUT', `/api/polls/${draft.id}`, { definition: poll });
    expect(edited.status, edited.text).toBe(200);
    await waitFor(() => idaNotices.some((n) => n.type === 'poll' && n.change === 'updated'));

    const launched = await ida.api<{ poll: PollView }>('POST', `/api/polls/${draft.id}/launch`);
    expect(launched.status, launched.text).toBe(200);
    expect(launched.body.poll).toMatchObject({ state: 'open', sessionId: session.body.session.id });
    await waitFor(() =>
      anaNotices.some((n) => n.type === 'poll' && n.change === 'opened' && n.pollId === draft.id),
    );
    // A page that loads now (or reloads on the notice) has it in the class state, without results.
    const state = (await ana.api<ClassState>('GET', `${BASE}/state`)).body;
    expect(state.polls.map((p) => [p.id, p.state, p.results])).toEqual([[draft.id, 'open', null]]);

    await answer(ana, draft.id, [{ question: 0, value: { choices: [1] } }]);
    const changed = await answer(ana, draft.id, [
      { question: 0, value: { choices: [0] } },
      { question: 1, value: { text: 'It is short' } },
    ]);
    expect(changed.mine?.map((a) => a?.value)).toEqual([{ choices: [0] }, { text: 'It is short' }]);
    await answer(ben, draft.id, [{ question: 0, value: { choices: [2] } }]);
    await waitFor(() => idaNotices.some((n) => n.type === 'poll' && n.change === 'answered'));
    expect(
      anaNotices.some((n) => n.type === 'poll' && (n.change === 'answered' || n.change === 'updated')),
    ).toBe(false);

    const staff = await view(ida.api, draft.id);
    expect(staff.results?.responders).toBe(2);
    expect(staff.results?.questions[0]?.counts).toEqual([1, 0, 1]);
    expect(staff.results?.questions[1]?.answers).toEqual([
      { userId: 'ana', name: 'Ana', text: 'It is short', correct: null },
    ]);
    // Students see no results until staff show them.
    expect((await ben.api('GET', `/api/polls/${draft.id}/results`)).status).toBe(403);
    const shown = await ida.api('POST', `/api/polls/${draft.id}/show`, { shown: true });
    expect(shown.status, shown.text).toBe(200);
    await waitFor(() => anaNotices.some((n) => n.type === 'poll' && n.change === 'shown'));
    const classView = await ben.api<{ results: PollResults }>('GET', `/api/polls/${draft.id}/results`);
    expect(classView.status).toBe(200);
    expect(classView.body.results.questions[0]?.counts).toEqual([1, 0, 1]);
    // Shown to the class without names.
    expect(classView.body.results.questions[1]?.answers).toEqual([
      { userId: null, name: null, text: 'It is short', correct: null },
    ]);

    const closed = await ida.api<{ poll: PollView }>('POST', `/api/polls/${draft.id}/close`);
    expect(closed.body.poll.state).toBe('closed');
    await answer(ana, draft.id, [{ question: 0, value: { choices: [1] } }], 409);
    expect((await view(ida.api, draft.id)).results?.questions[0]?.counts).toEqual([1, 0, 1]);
    const again = await ida.api('POST', `/api/polls/${draft.id}/launch`);
    expect(again.status).toBe(409);
  });

  it("never sends a quiz's answers to students before it closes; grades code, staff mark text; attendance", async () => {
    const session = await ida.api<{ session: { id: string } }>('POST', `${BASE}/sessions`, {
      startNow: true,
    });
    const sessionId = session.body.session.id;
    const launched = await create(ida.api, quiz, true);
    const seen = [
      JSON.stringify(await view(ana.api, launched.id)),
      JSON.stringify(await view(obi.api, launched.id)),
      JSON.stringify((await ana.api('GET', `${BASE}/state`)).body),
      JSON.stringify((await ana.api('GET', `${BASE}/polls`)).body),
    ];
    for (const text of seen) {
      expect(text).not.toContain('"correct":[');
      expect(text).not.toContain('"expected"');
      expect(text).not.toContain('print(');
    }

    await answer(ana, launched.id, [
      { question: 0, value: { choices: [0, 2] } },
      // Same code, other whitespace: trailing spaces, tabs, blank lines, CRLF.
      { question: 1, value: { text: 'for i in  range(3):\r\n\tprint("hello")   \r\n\r\n\r\n' } },
      { question: 2, value: { text: 'It counts items' } },
    ]);
    const mine = await answer(ben, launched.id, [
      { question: 0, value: { choices: [0] } },
      { question: 1, value: { text: 'print("hello")' } },
    ]);
    // Ben's grades stay hidden until the quiz closes.
    expect(mine.mine?.map((a) => a?.correct ?? null)).toEqual([null, null, null]);
    const marked = await ida.api('PUT', `/api/polls/${launched.id}/marks`, {
      question: 2,
      userId: 'ana',
      correct: true,
    });
    expect(marked.status, marked.text).toBe(200);

    const staff = await view(ida.api, launched.id);
    expect(staff.results?.questions.map((q) => q.correctCount)).toEqual([1, 1, 1]);
    expect(staff.results?.scores).toEqual([
      { userId: 'ana', name: 'Ana', points: 6 },
      { userId: 'ben', name: 'Ben', points: 0 },
    ]);
    expect(staff.results?.maxPoints).toBe(6);

    await ida.api('POST', `/api/polls/${launched.id}/close`);
    const after = await view(ben.api, launched.id);
    expect(after.questions[0]).toMatchObject({ correct: [0, 2] });
    expect(after.mine?.map((a) => a?.correct ?? null)).toEqual([false, false, null]);

    const report = await ida.api<{
      participants: { userId: string; pollAnswers: number; quizPoints: number }[];
      polls: PollView[];
    }>('GET', `/api/sessions/${sessionId}/attendance`);
    expect(report.status, report.text).toBe(200);
    expect(report.body.polls.map((p) => p.id)).toEqual([launched.id]);
    const ana1 = report.body.participants.find((p) => p.userId === 'ana');
    expect(ana1).toMatchObject({ pollAnswers: 3, quizPoints: 6 });
    const csv = await fetch(`${server.httpUrl}/api/sessions/${sessionId}/attendance?format=csv`, {
      headers: { authorization: `Bearer ${ida.token}` },
    });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/,poll_answers,quiz_points$/);
    expect(lines.find((l) => l.startsWith('ana,'))).toMatch(/,3,6$/);
    expect(lines.find((l) => l.startsWith('ben,'))).toMatch(/,2,0$/);
    const perSession = await ida.api<{ polls: PollView[] }>('GET', `/api/sessions/${sessionId}/polls`);
    expect(perSession.body.polls[0]?.results?.responders).toBe(2);
  });

  it('an anonymous poll ties no answer to anyone over any API, staff and platform included', async () => {
    const session = await ida.api<{ session: { id: string } }>('POST', `${BASE}/sessions`, {
      startNow: true,
    });
    const sessionId = session.body.session.id;
    const anon = await create(ida.api, { ...quiz, title: 'Honest check', anonymous: true }, true);
    await answer(ana, anon.id, [
      { question: 0, value: { choices: [1] } },
      { question: 2, value: { text: 'secret-text-of-ana' } },
    ]);
    await answer(ben, anon.id, [{ question: 0, value: { choices: [0, 2] } }]);
    // One answer per person per question still holds.
    await answer(ana, anon.id, [{ question: 0, value: { choices: [0] } }]);
    const marking = await ida.api('PUT', `/api/polls/${anon.id}/marks`, {
      question: 2,
      userId: 'ana',
      correct: true,
    });
    expect(marking.status).toBe(403);
    await ida.api('POST', `/api/polls/${anon.id}/show`, { shown: true });
    await ida.api('POST', `/api/polls/${anon.id}/close`);

    const replies = [
      await ida.api('GET', `/api/polls/${anon.id}`),
      await ida.api('GET', `/api/polls/${anon.id}/results`),
      await ida.api('GET', `${BASE}/polls`),
      await ida.api('GET', `${BASE}/state`),
      await platform('GET', `/api/polls/${anon.id}`),
      await platform('GET', `/api/sessions/${sessionId}/polls`),
      await ben.api('GET', `/api/polls/${anon.id}`),
      await ben.api('GET', `/api/polls/${anon.id}/results`),
      await ben.api('GET', `${BASE}/state`),
    ];
    for (const reply of replies) {
      expect(reply.status, reply.text).toBe(200);
      expect(reply.text).not.toMatch(/"ana"|"Ana"|"ben"|"Ben"/);
      // The text is read by staff and (shown) the class, listed with no id or name next to it.
      const listed = listedAnswers(reply.body);
      expect(listed, reply.text).toEqual([
        { userId: null, name: null, text: 'secret-text-of-ana', correct: null },
      ]);
    }
    const results = (await ida.api<{ results: PollResults }>('GET', `/api/polls/${anon.id}/results`)).body
      .results;
    expect(results.responders).toBe(2);
    expect(results.questions[0]?.counts).toEqual([2, 0, 1]);
    expect(results.questions[2]).toMatchObject({ answered: 1 });
    expect(results.scores).toBeNull();
    // The attendance report counts nobody's part in it; its poll lists the text bare.
    const report = await ida.api<{
      participants: { userId: string; pollAnswers: number }[];
      polls: PollView[];
    }>('GET', `/api/sessions/${sessionId}/attendance`);
    expect(report.body.participants.find((p) => p.userId === 'ana')?.pollAnswers).toBe(0);
    expect(JSON.stringify(report.body.participants)).not.toContain('secret-text-of-ana');
    expect(JSON.stringify(report.body.polls)).not.toMatch(/"ana"|"Ana"|"ben"|"Ben"/);
    expect(listedAnswers(report.body.polls)).toEqual([
      { userId: null, name: null, text: 'secret-text-of-ana', correct: null },
    ]);
  });

  it("lets students in a breakout group see and answer the main class's polls with their group token", async () => {
    await ida.api('POST', `${BASE}/sessions`, { startNow: true });
    const groups = await ida.api('POST', `${BASE}/breakouts`, {
      mode: 'chosen',
      groups: [{ members: ['ana'] }],
    });
    expect(groups.status, groups.text).toBe(201);
    const token = await ana.api<{ token: string; classId: string }>('POST', `${BASE}/breakouts/token`, {});
    expect(token.status, token.text).toBe(200);
    const inGroup = caller(server, token.body.token);
    const groupPage = connectCollab(server, `${token.body.classId}/code/main`, token.body.token);
    clients.push(groupPage);
    await groupPage.synced();
    const notices = collectNotices(groupPage);

    const launched = await create(ida.api, poll, true);
    await waitFor(() => notices.some((n) => n.type === 'poll' && n.pollId === launched.id));
    const state = await inGroup<ClassState>('GET', `/api/classes/${token.body.classId}/state`);
    expect(state.body.polls.map((p) => p.id)).toEqual([launched.id]);
    const answered = await inGroup<{ poll: PollView }>('PUT', `/api/polls/${launched.id}/answers`, {
      answers: [{ question: 0, value: { choices: [1] } }],
    });
    expect(answered.status, answered.text).toBe(200);
    expect((await view(ida.api, launched.id)).results?.questions[0]?.counts).toEqual([0, 1, 0]);
  });

  it('closes open polls when the session ends', async () => {
    const session = await ida.api<{ session: { id: string } }>('POST', `${BASE}/sessions`, {
      startNow: true,
    });
    const open = await create(ida.api, poll, true);
    expect((await ida.api('POST', `/api/sessions/${session.body.session.id}/end`)).status).toBe(200);
    await waitFor(async () => (await view(ida.api, open.id)).state === 'closed');
  });

  it('refuses what people may not do, bad bodies and floods', async () => {
    const opened = await create(ida.api, poll, true);
    const other = await person(server, 'zed', 'instructor', 'other-class');
    const cases: [string, Promise<{ status: number }>, number][] = [
      ['student creates', ana.api('POST', `${BASE}/polls`, { definition: poll }), 403],
      ['observer creates', obi.api('POST', `${BASE}/polls`, { definition: poll }), 403],
      ['student closes', ana.api('POST', `/api/polls/${opened.id}/close`), 403],
      ['student shows', ana.api('POST', `/api/polls/${opened.id}/show`, { shown: true }), 403],
      [
        'student marks',
        ana.api('PUT', `/api/polls/${opened.id}/marks`, { question: 1, userId: 'ana', correct: true }),
        403,
      ],
      [
        'observer answers',
        obi.api('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [{ question: 0, value: { choices: [0] } }],
        }),
        403,
      ],
      [
        'staff answers',
        ida.api('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [{ question: 0, value: { choices: [0] } }],
        }),
        403,
      ],
      [
        'platform answers',
        platform('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [{ question: 0, value: { choices: [0] } }],
        }),
        403,
      ],
      ['another class reads', other.api('GET', `/api/polls/${opened.id}`), 403],
      ['another class closes', other.api('POST', `/api/polls/${opened.id}/close`), 403],
      ['another class lists', other.api('GET', `${BASE}/polls`), 403],
      ['no credential', fetch(`${server.httpUrl}/api/polls/${opened.id}`), 401],
      ['unknown poll', ida.api('GET', '/api/polls/poll-nope'), 404],
      ['edit a launched poll', ida.api('PUT', `/api/polls/${opened.id}`, { definition: poll }), 409],
      ['delete a launched poll', ida.api('DELETE', `/api/polls/${opened.id}`), 409],
      [
        'quiz without correct options',
        ida.api('POST', `${BASE}/polls`, {
          definition: { ...quiz, questions: [{ type: 'single', prompt: 'x', options: ['a', 'b'] }] },
        }),
        400,
      ],
      [
        'correct options in a poll',
        ida.api('POST', `${BASE}/polls`, {
          definition: {
            ...poll,
            questions: [{ type: 'single', prompt: 'x', options: ['a', 'b'], correct: [0] }],
          },
        }),
        400,
      ],
      [
        'too many options',
        ida.api('POST', `${BASE}/polls`, {
          definition: {
            ...poll,
            questions: [
              { type: 'single', prompt: 'x', options: Array.from({ length: 11 }, (_, i) => `o${i}`) },
            ],
          },
        }),
        400,
      ],
      [
        'title too long',
        ida.api('POST', `${BASE}/polls`, { definition: { ...poll, title: 'x'.repeat(201) } }),
        400,
      ],
      [
        'timer too short',
        ida.api('POST', `${BASE}/polls`, { definition: { ...poll, timerSeconds: 1 } }),
        400,
      ],
      ['unknown field', ida.api('POST', `${BASE}/polls`, { definition: { ...poll, extra: 1 } }), 400],
      [
        'body too large',
        ida.api('POST', `${BASE}/polls`, { definition: { ...poll, title: 'x'.repeat(600_000) } }),
        413,
      ],
      [
        'two options for a single choice',
        ana.api('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [{ question: 0, value: { choices: [0, 1] } }],
        }),
        400,
      ],
      [
        'no such option',
        ana.api('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [{ question: 0, value: { choices: [5] } }],
        }),
        400,
      ],
      [
        'no such question',
        ana.api('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [{ question: 7, value: { text: 'x' } }],
        }),
        400,
      ],
      [
        'text for a choice',
        ana.api('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [{ question: 0, value: { text: 'x' } }],
        }),
        400,
      ],
      [
        'text answer too long',
        ana.api('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [{ question: 1, value: { text: 'x'.repeat(1001) } }],
        }),
        400,
      ],
      ['show without shown', ida.api('POST', `/api/polls/${opened.id}/show`, {}), 400],
      ['show with a string', ida.api('POST', `/api/polls/${opened.id}/show`, { shown: 'yes' }), 400],
      [
        'show with an unknown field',
        ida.api('POST', `/api/polls/${opened.id}/show`, { shown: true, everyone: true }),
        400,
      ],
      ['show with no JSON', ida.api('POST', `/api/polls/${opened.id}/show`, '{"shown":'), 400],
      [
        'mark without a user',
        ida.api('PUT', `/api/polls/${opened.id}/marks`, { question: 1, correct: true }),
        400,
      ],
      [
        'mark a question out of range',
        ida.api('PUT', `/api/polls/${opened.id}/marks`, { question: 20, userId: 'ana', correct: true }),
        400,
      ],
      [
        'mark with a string grade',
        ida.api('PUT', `/api/polls/${opened.id}/marks`, { question: 1, userId: 'ana', correct: 'yes' }),
        400,
      ],
      [
        'mark with a user id too long',
        ida.api('PUT', `/api/polls/${opened.id}/marks`, {
          question: 1,
          userId: 'u'.repeat(65),
          correct: true,
        }),
        400,
      ],
      [
        'a question twice',
        ana.api('PUT', `/api/polls/${opened.id}/answers`, {
          answers: [
            { question: 1, value: { text: 'a' } },
            { question: 1, value: { text: 'b' } },
          ],
        }),
        400,
      ],
    ];
    for (const [name, reply, status] of cases) expect((await reply).status, name).toBe(status);

    // A draft is staff's: students neither see nor answer it. A student flooding answers is slowed down.
    const draft = await create(ida.api, poll);
    expect((await ben.api('GET', `/api/polls/${draft.id}`)).status).toBe(404);
    await answer(ben, draft.id, [{ question: 0, value: { choices: [0] } }], 404);
    expect((await ida.api('GET', `/api/polls/${draft.id}`)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      statuses.push(
        (
          await ben.api('PUT', `/api/polls/${opened.id}/answers`, {
            answers: [{ question: 0, value: { choices: [i % 3] } }],
          })
        ).status,
      );
    }
    expect(statuses).toContain(429);
    expect(statuses[0]).toBe(200);

    // Staff creating polls in a flood (a runaway script) are slowed down too, with a clear error.
    const ivy = await person(server, 'ivy', 'instructor', CLASS);
    const created: { status: number; text: string }[] = [];
    for (let i = 0; i < 40 && !created.some((r) => r.status === 429); i++) {
      created.push(await ivy.api('POST', `${BASE}/polls`, { definition: { ...poll, title: `Flood ${i}` } }));
    }
    expect(created[0]?.status).toBe(201);
    const refused = created.at(-1);
    expect(refused?.status).toBe(429);
    expect(refused?.text).toContain('too many poll changes');
    expect(created.length).toBeGreaterThan(10);
  });
});
