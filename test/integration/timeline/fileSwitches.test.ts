// File switches on the class timeline, on both engines, through real providers: an instructor's editor presence
// (`file`) in the class code. Before the session nothing is kept; in it, two quick switches keep the last file
// (told once it stayed open 2 s, at the time it was opened) and a later one is its own event, as is one in a
// breakout group's code. A student's switches and the instructor's in a workspace record nothing. A student who
// may replay sees the class code's switches, not the group's.
import { createCodeFile, type TimelineReply } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_DWELL_MS } from '../../../server/src/collab/presence/openFiles.ts';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, person } from '../classroom/classroomApi.ts';

const CODE = 'class1/code/main';
const ANA_WS = 'class1/ws/ana';

describe.each(STORAGE_ENGINES)('file switches on the timeline: %s', (engine) => {
  let server: EngineTestServer;
  const clients: CollabClient[] = [];
  let teacher: Caller;
  let student: Caller;
  let groupCode = '';
  let sessionId = '';
  const times: Record<string, number> = {};

  /** Waits until `file`, opened at `times[file]`, has stayed open long enough to count. */
  const dwelt = (file: string) =>
    waitFor(() => Date.now() > times[file]! + FILE_DWELL_MS + 50, { message: `${file} open 2 s` });
  const open = (client: CollabClient, file: string, key = file) => {
    times[key] = Date.now();
    client.provider.setAwarenessField('file', file);
  };
  /** Another state of the same file (as a selection or the provider's renewal sends). */
  const nudge = (client: CollabClient, n: number) => client.provider.setAwarenessField('selection', n);

  beforeAll(async () => {
    server = await startTestServerOn(engine);
    teacher = (await person(server, 'tess', 'instructor')).api;
    student = (await person(server, 'ana', 'student')).api;
    const tess = connectCollab(server, CODE, await server.token({ sub: 'tess', role: 'instructor' }));
    const ana = connectCollab(server, CODE, await server.token({ sub: 'ana', role: 'student' }));
    const tessWs = connectCollab(server, ANA_WS, await server.token({ sub: 'tess', role: 'instructor' }));
    clients.push(tess, ana, tessWs);
    await Promise.all(clients.map((c) => c.synced()));
    for (const [id, name] of [
      ['main', 'main.py'],
      ['utils', 'utils.py'],
      ['notes', 'notes.md'],
    ] as const) {
      createCodeFile(tess.doc, { id, name, content: '', createdBy: 'tess' });
    }
    createCodeFile(tessWs.doc, { id: 'main', name: 'ana.py', content: '', createdBy: 'ana' });
    await Promise.all([tess.saved(), tessWs.saved()]);

    // Before the session: a file that stays open is not kept.
    open(tess, 'notes', 'before');
    await dwelt('before');
    nudge(tess, 1);

    const created = await teacher<{ session: { id: string } }>('POST', '/api/classes/class1/sessions', {
      startNow: true,
    });
    expect(created.status).toBe(201);
    sessionId = created.body.session.id;
    const groups = await teacher('POST', '/api/classes/class1/breakouts', {
      mode: 'chosen',
      groups: [{ name: 'Trees', members: ['ana'] }],
    });
    expect(groups.status, groups.text).toBe(201);
    const visit = await teacher<{ token: string; classId: string }>(
      'POST',
      '/api/classes/class1/breakouts/token',
      {
        groupId: 'g1',
      },
    );
    expect(visit.status, visit.text).toBe(200);
    groupCode = `${visit.body.classId}/code/main`;
    const tessGroup = connectCollab(server, groupCode, visit.body.token);
    clients.push(tessGroup);
    await tessGroup.synced();
    createCodeFile(tessGroup.doc, { id: 'g', name: 'trees.py', content: '', createdBy: 'tess' });
    await tessGroup.saved();

    // Two quick switches, a student's and one in a workspace, all left open long enough.
    open(tess, 'main');
    open(tess, 'utils');
    open(ana, 'utils', 'ana');
    open(tessWs, 'main', 'ws');
    await Promise.all([dwelt('utils'), dwelt('ana'), dwelt('ws')]);
    // Later: another file (which tells utils), then a state of it once it has stayed open; one in the group.
    open(tess, 'notes');
    open(tessGroup, 'g');
    nudge(ana, 2);
    nudge(tessWs, 2);
    await Promise.all([dwelt('notes'), dwelt('g')]);
    nudge(tess, 2);
    nudge(tessGroup, 2);
  }, 30_000);

  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
  });

  const fileEvents = async (who: Caller = teacher) => {
    const reply = await who<TimelineReply>('GET', `/api/sessions/${sessionId}/timeline?kinds=file`);
    expect(reply.status).toBe(200);
    return reply.body.events;
  };
  const recorded = () => waitFor(async () => (await fileEvents()).length >= 3, { message: 'file events' });

  it('records the last of quick switches and a later one, with their ids, names and times', async () => {
    await recorded();
    const all = await fileEvents();
    const group = all.filter((e) => e.kind === 'file' && e.data.document === groupCode);
    expect(group.map((e) => (e.kind === 'file' ? [e.data.fileId, e.data.name] : []))).toEqual([
      ['g', 'trees.py'],
    ]);
    const events = all.filter((e) => e.kind === 'file' && e.data.document === CODE);
    expect(events.map((e) => (e.kind === 'file' ? e.data : null))).toEqual([
      { document: CODE, fileId: 'utils', name: 'utils.py' },
      { document: CODE, fileId: 'notes', name: 'notes.md' },
    ]);
    expect(all.every((e) => e.kind === 'file' && e.actor?.id === 'tess')).toBe(true);
    // At the time each file was opened (on the server's clock, within the test's bracket).
    const [utils, notes] = events;
    expect(utils!.at).toBeGreaterThanOrEqual(times.utils!);
    expect(utils!.at).toBeLessThan(times.notes!);
    expect(notes!.at).toBeGreaterThanOrEqual(times.notes!);
    expect(notes!.at - utils!.at).toBeGreaterThanOrEqual(FILE_DWELL_MS);
  });

  it("keeps nothing before the session, of a student's switches or of a workspace", async () => {
    await recorded();
    const rows = await server.tandem.ctx.storage.timeline.events(['class1'], 0, Date.now(), 1000);
    const files = rows.filter((r) => r.kind === 'file');
    expect(files.map((r) => [r.actorId, (r.data as { fileId: string }).fileId])).toEqual([
      ['tess', 'utils'],
      ['tess', 'notes'],
    ]);
    expect(files.every((r) => r.at >= times.main!)).toBe(true);
  });

  it("shows a student who may replay the class code's switches, not a breakout group's", async () => {
    await recorded();
    expect((await student('GET', `/api/sessions/${sessionId}/timeline?kinds=file`)).status).toBe(403);
    const allowed = await teacher('PATCH', '/api/classes/class1', { replayForStudents: true });
    expect(allowed.status, allowed.text).toBe(200);
    const seen = await fileEvents(student);
    expect(seen.map((e) => (e.kind === 'file' ? [e.data.document, e.data.fileId] : []))).toEqual([
      [CODE, 'utils'],
      [CODE, 'notes'],
    ]);
  });
});
