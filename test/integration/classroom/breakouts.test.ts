// Breakout rooms through real providers and REST: random and chosen groups, code copied from a starting
// document, group tokens scoped to one group, staff visits, group chat, broadcast, closing (back to the main
// room, group code kept and read-only), attendance and hands counted in the main class.
// On both storage engines.
import { codeFilesMap, createCodeFile, getCodeFile, readChatMessages } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, caller, collectAccess, collectNotices, person } from './classroomApi.ts';

type Person = { token: string; api: Caller };
type Group = { id: string; name: string; classId: string; members: { id: string }[] };
type View = { state: string; groups: Group[]; myGroupId: string | null };
type TokenReply = { token: string; classId: string; group: Group };

let server: EngineTestServer;
let ines: Person;
const students: Record<string, Person> = {};
const clients: CollabClient[] = [];
const open = async (doc: string, token: string) => {
  const c = connectCollab(server, doc, token);
  clients.push(c);
  await c.synced();
  return c;
};

describe.each(STORAGE_ENGINES)('breakouts on %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
    ines = await person(server, 'ines', 'instructor');
    for (const id of ['ana', 'li', 'bo', 'cy']) students[id] = await person(server, id, 'student');
    await ines.api('POST', '/api/classes/class1/sessions', { startNow: true });
    const main = await open('class1/code/main', ines.token);
    createCodeFile(main.doc, {
      id: 'main',
      name: 'main.py',
      content: 'def solve():\n    pass\n',
      createdBy: 'ines',
    });
    await main.saved();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  const groupToken = async (who: Person, groupId?: string) =>
    who.api<TokenReply>('POST', '/api/classes/class1/breakouts/token', groupId ? { groupId } : {});

  describe('breakout rooms', () => {
    it('random groups split the present students; each group gets a copy of the starting code', async () => {
      for (const id of ['ana', 'li', 'bo']) await open('class1/board/main', students[id]!.token);
      const notices = collectNotices(clients[1]!);
      expect(
        (await students.ana!.api('POST', '/api/classes/class1/breakouts', { mode: 'random', groupCount: 2 }))
          .status,
      ).toBe(403);
      const opened = await ines.api<{ breakouts: View }>('POST', '/api/classes/class1/breakouts', {
        mode: 'random',
        groupCount: 2,
      });
      expect(opened.status).toBe(201);
      const groups = opened.body.breakouts.groups;
      expect(groups.map((g) => g.members.length).sort()).toEqual([1, 2]);
      expect(groups.flatMap((g) => g.members.map((m) => m.id)).sort()).toEqual(['ana', 'bo', 'li']);
      expect(groups[0]!.classId).toMatch(/^class1--r\d+g1$/);
      await waitFor(() => notices.some((n) => n.type === 'breakouts' && n.state === 'open'));
      expect(
        (await ines.api('POST', '/api/classes/class1/breakouts', { mode: 'random', groupCount: 2 })).status,
      ).toBe(409);

      const mine = await groupToken(students.ana!);
      expect(mine.status).toBe(200);
      const groupCode = await open(`${mine.body.classId}/code/main`, mine.body.token);
      expect(getCodeFile(groupCode.doc, 'main')?.text.toString()).toBe('def solve():\n    pass\n');
      const view = await students.ana!.api<{ breakouts: View }>('GET', '/api/classes/class1/breakouts');
      expect(view.body.breakouts.groups).toHaveLength(1);
      expect(view.body.breakouts.myGroupId).toBe(mine.body.group.id);
    });

    it('group tokens open only their group; students cannot ask for another group; staff visit any', async () => {
      await ines.api('POST', '/api/classes/class1/breakouts', {
        mode: 'chosen',
        groups: [{ name: 'Trees', members: ['ana', 'li'] }, { members: ['bo'] }],
      });
      const ana = await groupToken(students.ana!);
      expect(ana.body.group).toMatchObject({ id: 'g1', name: 'Trees' });
      const other = await groupToken(students.ana!, 'g2');
      expect(other.status).toBe(403);
      expect((await groupToken(students.cy!)).status).toBe(404);

      const intruder = connectCollab(
        server,
        `${ana.body.classId.replace(/g1$/, 'g2')}/code/main`,
        ana.body.token,
      );
      clients.push(intruder);
      await waitFor(() => intruder.closes.length > 0);
      expect(intruder.closes[0]!.code).toBe(4403);
      // The main class's code is readable from a group (the student's code switch), never writable.
      const mainWithGroupToken = await open('class1/code/main', ana.body.token);
      expect(mainWithGroupToken.scope()).toBe('readonly');
      const boardWithGroupToken = connectCollab(server, 'class1/board/main', ana.body.token);
      clients.push(boardWithGroupToken);
      await waitFor(() => boardWithGroupToken.closes.length > 0);

      const visit = await groupToken(ines, 'g2');
      expect(visit.status).toBe(200);
      const visiting = await open(`${visit.body.classId}/code/main`, visit.body.token);
      expect(visiting.scope()).toBe('read-write');
    });

    it('each group has its own chat; broadcasts reach every group; hands join the main queue', async () => {
      await ines.api('POST', '/api/classes/class1/breakouts', {
        mode: 'chosen',
        groups: [{ members: ['ana'] }, { members: ['li'] }],
      });
      const ana = await groupToken(students.ana!);
      const li = await groupToken(students.li!);
      const anaChat = await open(`${ana.body.classId}/chat/main`, ana.body.token);
      const liChat = await open(`${li.body.classId}/chat/main`, li.body.token);
      const anaNotices = collectNotices(anaChat);
      const liNotices = collectNotices(liChat);
      const staffNotices = collectNotices(clients[0]!);

      const anaInGroup = caller(server, ana.body.token);
      expect(
        (
          await anaInGroup('POST', `/api/classes/${ana.body.classId}/chat/main/messages`, {
            text: 'group one',
          })
        ).status,
      ).toBe(201);
      await waitFor(() => readChatMessages(anaChat.doc).length === 1);
      expect(readChatMessages(liChat.doc)).toEqual([]);

      expect(
        (await ines.api('POST', '/api/classes/class1/breakouts/broadcast', { text: '5 minutes left' })).body,
      ).toEqual({ groups: 2 });
      for (const notices of [anaNotices, liNotices]) {
        await waitFor(() => notices.some((n) => n.type === 'announcement' && n.text === '5 minutes left'));
      }

      expect((await anaInGroup('POST', `/api/classes/${ana.body.classId}/hands`)).status).toBe(200);
      await waitFor(() => staffNotices.some((n) => n.type === 'hands' && n.queue[0]?.groupId === 'g1'));
      const state = await anaInGroup<{ breakoutOf: { classId: string; groupId: string } }>(
        'GET',
        `/api/classes/${ana.body.classId}/state`,
      );
      expect(state.body.breakoutOf).toMatchObject({ classId: 'class1', groupId: 'g1' });
      expect(
        (
          await anaInGroup('POST', `/api/classes/${ana.body.classId}/breakouts`, {
            mode: 'random',
            groupCount: 1,
          })
        ).status,
      ).toBe(400);
    });

    it('closing sends people back, keeps group code readable but locked for students, and stops group chat', async () => {
      await ines.api('POST', '/api/classes/class1/breakouts', {
        mode: 'chosen',
        groups: [{ members: ['ana'] }],
      });
      const ana = await groupToken(students.ana!);
      const groupCode = await open(`${ana.body.classId}/code/main`, ana.body.token);
      const inGroup = collectNotices(groupCode);
      const access = collectAccess(groupCode);
      const file = getCodeFile(groupCode.doc, 'main')!;
      file.text.insert(file.text.length, '# our answer\n');
      await groupCode.saved();

      expect((await students.ana!.api('POST', '/api/classes/class1/breakouts/close')).status).toBe(403);
      expect((await ines.api('POST', '/api/classes/class1/breakouts/close')).status).toBe(200);
      await waitFor(() =>
        inGroup.some((n) => n.type === 'breakouts' && n.state === 'closed' && n.returnTo === 'class1'),
      );
      // The open connection turned read-only at once: a later edit never reaches the server.
      await waitFor(() => access.includes('read'));
      file.text.insert(0, '# too late\n');
      expect(server.tandem.ctx.collab.locks.get(ana.body.classId)).toMatchObject({
        codeLocked: true,
        boardLocked: true,
      });

      const later = await groupToken(students.ana!);
      expect(later.status).toBe(200);
      const reread = await open(`${ana.body.classId}/code/main`, later.body.token);
      expect(reread.scope()).toBe('readonly');
      expect(getCodeFile(reread.doc, 'main')?.text.toString()).toContain('# our answer');
      expect(getCodeFile(reread.doc, 'main')?.text.toString()).not.toContain('# too late');
      const chat = await caller(server, later.body.token)(
        'POST',
        `/api/classes/${ana.body.classId}/chat/main/messages`,
        { text: 'x' },
      );
      expect(chat.status).toBe(403);
      expect((await ines.api('POST', '/api/classes/class1/breakouts/close')).status).toBe(409);
      expect(codeFilesMap(reread.doc).size).toBe(1);
    });

    it('people in groups count as present in the main session, and ending the session closes the groups', async () => {
      await ines.api('POST', '/api/classes/class1/breakouts', {
        mode: 'chosen',
        groups: [{ members: ['bo'] }],
      });
      const bo = await groupToken(students.bo!);
      const inGroup = collectNotices(await open(`${bo.body.classId}/board/main`, bo.body.token));
      const state = await ines.api<{ session: { id: string } }>('GET', '/api/classes/class1/state');
      const attendance = await ines.api<{ participants: { userId: string; presentNow: boolean }[] }>(
        'GET',
        `/api/sessions/${state.body.session.id}/attendance`,
      );
      expect(attendance.body.participants.find((p) => p.userId === 'bo')?.presentNow).toBe(true);
      await ines.api('POST', `/api/sessions/${state.body.session.id}/end`);
      await waitFor(() => inGroup.some((n) => n.type === 'breakouts' && n.state === 'closed'));
      const after = await ines.api<{ breakouts: View }>('GET', '/api/classes/class1/breakouts');
      expect(after.body.breakouts.state).toBe('closed');
    });
  });
});
