// Exercises and personal workspaces through the real server and real clients, on both engines: a hand-out
// fills the workspaces of roster and present students at once and of others on first open; a hand-out over
// work is refused until confirmed and then saves a version of each first; reset saves a version; a student
// never reads another's workspace over sync or REST except while it is spotlighted; and every refusal.
import { createCodeFile, listCodeFiles } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, person } from '../classroom/classroomApi.ts';

const API_KEY = 'workspaces-key-0123456789';
type Person = { token: string; api: Caller };
let server: EngineTestServer;
let ines: Person;
let ana: Person;
let li: Person;
let zoe: Person;
const clients: CollabClient[] = [];
const open = async (doc: string, who: Person) => {
  const c = connectCollab(server, doc, who.token);
  clients.push(c);
  await c.synced();
  return c;
};
const filesOf = (doc: Y.Doc) =>
  listCodeFiles(doc).map((f) => ({ id: f.id, name: f.name, content: f.text.toString() }));
const type = (doc: Y.Doc, text: string) => {
  const file = listCodeFiles(doc)[0]!;
  file.text.insert(file.text.length, text);
};

describe.each(STORAGE_ENGINES)('workspaces on %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine, { API_KEYS: API_KEY });
    const platform = caller(server, API_KEY);
    await platform('POST', '/api/classes', { id: 'class1', title: 'Workspaces' });
    // Ana is on the roster; Li is present (on the class code); Zoe is neither until she opens her workspace.
    await platform('PUT', '/api/classes/class1/roster', {
      members: [
        { userId: 'ana', name: 'Ana', role: 'student' },
        { userId: 'ines', name: 'Ines', role: 'instructor' },
      ],
    });
    [ines, ana, li, zoe] = await Promise.all([
      person(server, 'ines', 'instructor'),
      person(server, 'ana', 'student'),
      person(server, 'li', 'student'),
      person(server, 'zoe', 'student'),
    ]);
    const code = await open('class1/code/main', ines);
    code.doc.transact(() => {
      createCodeFile(code.doc, {
        id: 'main',
        name: 'main.py',
        content: 'def add(a, b):\n    pass\n',
        createdBy: 'ines',
      });
      createCodeFile(code.doc, {
        id: 'test',
        name: 'test_add.py',
        content: 'assert add(1, 2) == 3\n',
        createdBy: 'ines',
      });
    });
    await code.saved();
    await open('class1/code/main', li);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  it('hands out the class code to roster and present students at once, others on first open', async () => {
    const reply = await ines.api<{ handout: { revision: number; files: unknown[] }; delivered: number }>(
      'POST',
      '/api/classes/class1/handout',
      { source: 'class' },
    );
    expect(reply.status).toBe(201);
    expect(reply.body.handout.revision).toBe(1);
    expect(reply.body.delivered).toBe(2);
    const starter = reply.body.handout.files;
    // Ana (roster) and Li (present) already have it, before opening anything.
    for (const who of ['ana', 'li'] as const) {
      const c = await open(`class1/ws/${who}`, who === 'ana' ? ana : li);
      expect(filesOf(c.doc)).toEqual(starter);
    }
    const listed = await ines.api<{
      workspaces: { userId: string; revision: number; lastEditAt: number | null; inClass: boolean }[];
    }>('GET', '/api/classes/class1/workspaces');
    // In class: Li (on the class code) and Ana (on her workspace now). No edits of their own yet: the
    // hand-out is the instructor's writing.
    expect(listed.body.workspaces.map((w) => [w.userId, w.revision, w.inClass, w.lastEditAt])).toEqual([
      ['ana', 1, true, null],
      ['li', 1, true, null],
    ]);
    // Zoe was unknown: her workspace is empty until she opens it.
    const first = await zoe.api<{ delivered: boolean; revision: number }>(
      'POST',
      '/api/classes/class1/workspaces/zoe/open',
    );
    expect(first.body).toEqual({ revision: 1, delivered: true });
    expect(filesOf((await open('class1/ws/zoe', zoe)).doc)).toEqual(starter);
    // The starter is attributed to the instructor who handed it out, not to Zoe.
    const history = await zoe.api<{ entries: { userId: string | null }[] }>(
      'GET',
      '/api/documents/class1/ws/zoe/history',
    );
    expect(history.body.entries.map((e) => e.userId)).toEqual(['ines']);
    const again = await zoe.api('POST', '/api/classes/class1/workspaces/zoe/open');
    expect(again.body).toEqual({ revision: 1, delivered: false });
    // Chosen files and templates.
    const chosen = await ines.api<{ handout: { files: { id: string }[] } }>(
      'POST',
      '/api/classes/class1/handout',
      {
        source: 'class',
        fileIds: ['test'],
      },
    );
    expect(chosen.body.handout.files.map((f) => f.id)).toEqual(['test']);
  });

  it('asks before replacing work, then saves a version of each workspace first; reset saves one too', async () => {
    await ines.api('POST', '/api/classes/class1/handout', { source: 'class' });
    const before = await ines.api<{ workspaces: { userId: string; inClass: boolean }[] }>(
      'GET',
      '/api/classes/class1/workspaces',
    );
    expect(before.body.workspaces.find((w) => w.userId === 'ana')?.inClass).toBe(false);
    const typedAt = Date.now();
    const anaWs = await open('class1/ws/ana', ana);
    type(anaWs.doc, 'print(add(2, 3))\n');
    await anaWs.saved();
    // The wall's facts for tiles it has not subscribed to: Ana's own last edit, and that she is in class.
    const edited = await ines.api<{
      workspaces: { userId: string; lastEditAt: number | null; inClass: boolean }[];
    }>('GET', '/api/classes/class1/workspaces');
    const anaListed = edited.body.workspaces.find((w) => w.userId === 'ana');
    expect(anaListed?.inClass).toBe(true);
    expect(anaListed?.lastEditAt).toBeGreaterThanOrEqual(typedAt - 1000);
    expect(edited.body.workspaces.find((w) => w.userId === 'li')?.lastEditAt).toBeNull();
    const template = {
      source: 'template',
      files: [{ id: 'ex2', name: 'ex2.py', content: '# exercise 2\n' }],
    };
    const refused = await ines.api<{ error: { code: string; message: string } }>(
      'POST',
      '/api/classes/class1/handout',
      template,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/1 workspace has work/);
    const confirmed = await ines.api<{ saved: number; handout: { revision: number } }>(
      'POST',
      '/api/classes/class1/handout',
      { ...template, replace: true },
    );
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ saved: 1, handout: { revision: 2 } });
    await waitFor(() => filesOf(anaWs.doc)[0]?.id === 'ex2');
    expect(filesOf(anaWs.doc)).toEqual(template.files);
    const versions = await ines.api<{ versions: { id: number; label: string }[] }>(
      'GET',
      '/api/documents/class1/ws/ana/versions',
    );
    expect(versions.body.versions.map((v) => v.label)).toEqual(['Before hand-out 2']);
    const saved = await ines.api<{ content: { files: Record<string, { text: string }> } }>(
      'GET',
      `/api/documents/class1/ws/ana/versions/${versions.body.versions[0]!.id}`,
    );
    expect(saved.body.content.files.main?.text).toContain('print(add(2, 3))');

    type(anaWs.doc, 'x = 1\n');
    await anaWs.saved();
    const reset = await ines.api('POST', '/api/classes/class1/workspaces/ana/reset');
    expect(reset.body).toEqual({ revision: 2, saved: true });
    await waitFor(() => filesOf(anaWs.doc)[0]?.content === '# exercise 2\n');
    const after = await ines.api<{ versions: { label: string }[] }>(
      'GET',
      '/api/documents/class1/ws/ana/versions',
    );
    expect(after.body.versions.map((v) => v.label)).toEqual(['Before reset', 'Before hand-out 2']);
  });

  it('saves what a workspace held before a hand-out it receives on open', async () => {
    await server.tandem.ctx.collab.edit('class1/ws/zoe', { id: 'zoe' }, (doc) =>
      createCodeFile(doc, { id: 'mine', name: 'mine.py', content: 'my own idea\n', createdBy: 'zoe' }),
    );
    const handed = await ines.api<{ delivered: number }>('POST', '/api/classes/class1/handout', {
      source: 'class',
    });
    expect(handed.body.delivered).toBe(2); // Ana and Li: Zoe is neither on the roster nor present
    const opened = await zoe.api('POST', '/api/classes/class1/workspaces/zoe/open');
    expect(opened.body).toEqual({ revision: 1, delivered: true });
    const versions = await zoe.api<{ versions: { id: number; label: string }[] }>(
      'GET',
      '/api/documents/class1/ws/zoe/versions',
    );
    expect(versions.body.versions.map((v) => v.label)).toEqual(['Before hand-out 1']);
    const saved = await zoe.api<{ content: { files: Record<string, { text: string }> } }>(
      'GET',
      `/api/documents/class1/ws/zoe/versions/${versions.body.versions[0]!.id}`,
    );
    expect(saved.body.content.files.mine?.text).toBe('my own idea\n');
    expect(filesOf((await open('class1/ws/zoe', zoe)).doc).map((f) => f.id)).toEqual(['main', 'test']);
  });

  it("keeps a student out of another's workspace over sync and REST, except while it is spotlighted", async () => {
    await ines.api('POST', '/api/classes/class1/handout', { source: 'class' });
    const own = await open('class1/ws/ana', ana);
    expect(own.scope()).toBe('read-write');
    // Sync: refused.
    const peek = connectCollab(server, 'class1/ws/ana', li.token);
    clients.push(peek);
    await waitFor(() => peek.denied.length > 0 || peek.closes.length > 0);
    expect(peek.doc.getMap('files').size).toBe(0);
    // REST: refused.
    for (const path of ['/api/documents/class1/ws/ana/versions', '/api/documents/class1/ws/ana/history']) {
      expect((await li.api('GET', path)).status).toBe(403);
    }
    expect((await li.api('POST', '/api/classes/class1/workspaces/ana/open')).status).toBe(403);
    // Spotlight: readable by the class while it lasts, read-only.
    await ines.api('PUT', '/api/classes/class1/spotlight', { userId: 'ana' });
    const viewer = await open('class1/ws/ana', li);
    expect(viewer.scope()).toBe('readonly');
    expect(filesOf(viewer.doc).map((f) => f.id)).toEqual(['main', 'test']);
    expect((await li.api('GET', '/api/documents/class1/ws/ana/versions')).status).toBe(200);
    await ines.api('PUT', '/api/classes/class1/spotlight', { userId: null });
    await waitFor(() => viewer.closes.length > 0 || viewer.provider.isSynced === false);
    expect((await li.api('GET', '/api/documents/class1/ws/ana/versions')).status).toBe(403);
  });

  it("opens a student's one workspace of the main class from a breakout group, never another's", async () => {
    const handed = await ines.api<{ handout: { files: unknown[] } }>('POST', '/api/classes/class1/handout', {
      source: 'class',
    });
    await ines.api('POST', '/api/classes/class1/sessions', { startNow: true });
    const split = await ines.api('POST', '/api/classes/class1/breakouts', {
      mode: 'chosen',
      groups: [{ members: ['zoe', 'li'] }],
    });
    expect(split.status).toBe(201);
    const inGroup = async (who: Person): Promise<Person & { classId: string }> => {
      const reply = await who.api<{ token: string; classId: string }>(
        'POST',
        '/api/classes/class1/breakouts/token',
      );
      expect(reply.status).toBe(200);
      return { ...reply.body, api: caller(server, reply.body.token) };
    };
    const zoeInGroup = await inGroup(zoe);
    const liInGroup = await inGroup(li);
    expect(zoeInGroup.classId).toMatch(/^class1--r\d+g1$/);
    // Zoe was never in the main room: her first open, from the group, brings the main class's hand-out.
    const opened = await zoeInGroup.api('POST', `/api/classes/${zoeInGroup.classId}/workspaces/zoe/open`);
    expect(opened.body).toEqual({ revision: 1, delivered: true });
    const mine = await open('class1/ws/zoe', zoeInGroup);
    expect(mine.scope()).toBe('read-write');
    expect(filesOf(mine.doc)).toEqual(handed.body.handout.files);
    type(mine.doc, '# from the group\n');
    await mine.saved();
    // The same document back in the main room.
    expect(filesOf((await open('class1/ws/zoe', zoe)).doc)[0]?.content).toContain('# from the group');
    // Li, in the same group, is refused Zoe's workspace over REST and sync.
    expect(
      (await liInGroup.api('POST', `/api/classes/${liInGroup.classId}/workspaces/zoe/open`)).status,
    ).toBe(403);
    const peek = connectCollab(server, 'class1/ws/zoe', liInGroup.token);
    clients.push(peek);
    await waitFor(() => peek.denied.length > 0 || peek.closes.length > 0);
    expect(peek.doc.getMap('files').size).toBe(0);
    // The group's token reaches nothing else of the main class but its code, read-only.
    const mainCode = await open('class1/code/main', liInGroup);
    expect(mainCode.scope()).toBe('readonly');
    const board = connectCollab(server, 'class1/board/main', liInGroup.token);
    clients.push(board);
    await waitFor(() => board.denied.length > 0 || board.closes.length > 0);
  });

  it('refuses staff opening or resetting a workspace of someone who is not a student of the class', async () => {
    await ines.api('POST', '/api/classes/class1/handout', { source: 'class' });
    const ida = await person(server, 'ida', 'assistant');
    for (const action of ['open', 'reset']) {
      const stranger = await ida.api<{ error: { code: string; message: string } }>(
        'POST',
        `/api/classes/class1/workspaces/nobody/${action}`,
      );
      expect(stranger.status).toBe(404);
      expect(stranger.body.error.message).toMatch(/not a student of this class/);
      // Ines is on the roster, as an instructor.
      expect((await ida.api('POST', `/api/classes/class1/workspaces/ines/${action}`)).status).toBe(404);
    }
    const listed = await ines.api<{ workspaces: { userId: string }[] }>(
      'GET',
      '/api/classes/class1/workspaces',
    );
    expect(listed.body.workspaces.map((w) => w.userId)).toEqual(['ana', 'li']);
    // Students of the class still can: roster (Ana), present (Li), and Zoe once her workspace received one.
    expect((await ines.api('POST', '/api/classes/class1/workspaces/ana/reset')).status).toBe(200);
    expect((await ines.api('POST', '/api/classes/class1/workspaces/li/open')).status).toBe(200);
    await zoe.api('POST', '/api/classes/class1/workspaces/zoe/open');
    expect((await ines.api('POST', '/api/classes/class1/workspaces/zoe/reset')).status).toBe(200);
  });

  it('refuses an observer opening a workspace, and rate-limits hand-outs, resets and lists', async () => {
    const otto = await person(server, 'otto', 'observer');
    expect((await otto.api('POST', '/api/classes/class1/workspaces/otto/open')).status).toBe(403);
    expect((await otto.api('POST', '/api/classes/class1/workspaces/ana/open')).status).toBe(403);
    // Bad bodies are cheap to send and still count: the limit is taken before the body is read.
    const statuses = async (n: number, send: () => Promise<{ status: number }>) => {
      const seen: number[] = [];
      for (let i = 0; i < n; i++) seen.push((await send()).status);
      return seen;
    };
    const handouts = await statuses(12, () =>
      ines.api('POST', '/api/classes/class1/handout', { source: 'disk' }),
    );
    expect(handouts.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(handouts.at(-1)).toBe(429);
    const resets = await statuses(12, () => ines.api('POST', '/api/classes/class1/workspaces/nobody/reset'));
    expect(resets).toContain(429);
    const lists = await statuses(15, () => ines.api('GET', '/api/classes/class1/workspaces'));
    expect(lists[0]).toBe(200);
    expect(lists.at(-1)).toBe(429);
    // Limits are per person: another instructor still hands out.
    const other = await person(server, 'ida', 'instructor');
    expect((await other.api('POST', '/api/classes/class1/handout', { source: 'class' })).status).toBe(201);
  });

  it('refuses hand-outs, lists and resets from students, bad bodies and oversized ones', async () => {
    const post = (who: Person, body: unknown) => who.api('POST', '/api/classes/class1/handout', body);
    expect((await post(ana, { source: 'class' })).status).toBe(403);
    expect((await ana.api('GET', '/api/classes/class1/workspaces')).status).toBe(403);
    expect((await ana.api('POST', '/api/classes/class1/workspaces/li/reset')).status).toBe(403);
    const other = await person(server, 'otto', 'instructor', 'class2');
    expect((await other.api('POST', '/api/classes/class1/handout', { source: 'class' })).status).toBe(403);
    expect((await post(ines, { source: 'disk' })).status).toBe(400);
    expect((await post(ines, { source: 'class', fileIds: ['nope'] })).status).toBe(404);
    const file = (id: string, content = '') => ({ id, name: `${id}.py`, content });
    expect((await post(ines, { source: 'template', files: [file('a'), file('a')] })).status).toBe(400);
    expect((await post(ines, { source: 'template', files: [file('bad/id')] })).status).toBe(400);
    const many = Array.from({ length: 21 }, (_, i) => file(`f${i}`));
    expect((await post(ines, { source: 'template', files: many })).status).toBe(400);
    const big = Array.from({ length: 5 }, (_, i) => file(`f${i}`, 'x'.repeat(99_000)));
    expect((await post(ines, { source: 'template', files: big })).status).toBe(400);
    const huge = [file('f', 'x'.repeat(1_100_000))];
    expect((await post(ines, { source: 'template', files: huge })).status).toBe(413);
    expect((await ines.api('POST', '/api/classes/class1/workspaces/bad%20id/reset')).status).toBe(400);
    expect((await caller(server, 'nope')('GET', '/api/classes/class1/handout')).status).toBe(401);
  });
});
