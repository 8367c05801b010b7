// Removing a person from the class for the rest of the session, on both storage engines, with real collab
// clients and real media peers: their documents (/collab and /yjs), classroom API and call are closed with a
// reason, every reconnect is refused (4410, code `removed`) also after a server restart, until staff let them
// back in or the session ends. And the refusals of the person-action API: students, assistants on the
// instructor, bad and unknown user ids, the action rate limit.
import { CLOSE_CODES, MEDIA_PROTOCOL_VERSION } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CollabClient, connectCollab, connectYjs, type YjsClient } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaSignalClient } from '../../helpers/weriftSignal.ts';
import { person } from './classroomApi.ts';

type Person = Awaited<ReturnType<typeof person>>;
let server: EngineTestServer;
let ines: Person;
let ana: Person;
let sessionId: string;
const clients: { destroy(): void }[] = [];
const peers: { close(): void }[] = [];

const REMOVED = 'Ines removed you from this class for the rest of the session.';

async function openDoc(doc: string, who: Person): Promise<CollabClient> {
  const c = connectCollab(server, doc, who.token);
  clients.push(c);
  return c;
}

async function openYjs(doc: string, who: Person): Promise<YjsClient> {
  const c = connectYjs(server, doc, who.token);
  clients.push(c);
  return c;
}

/** The first close of a collab client, or its permission-denied reason when the close has not come yet. */
const refusalOf = (c: CollabClient) =>
  waitFor(
    () =>
      c.closes[0] ??
      (c.denied[0] ? { code: Number(c.denied[0].slice(0, 4)), reason: c.denied[0] } : undefined),
    {
      message: 'collab refusal',
    },
  );

async function mediaJoin(sub: string) {
  const client = await MediaSignalClient.connect(server.wsUrl);
  peers.push(client);
  const token = await server.token({ sub, role: 'student', cls: 'rm1', name: 'Ana' });
  const reply = await client.requestRaw({
    method: 'join',
    data: { protocol: MEDIA_PROTOCOL_VERSION, token, classId: 'rm1', rtpCapabilities: {} },
  });
  return { client, reply };
}

describe.each(STORAGE_ENGINES)('removal from the class on %s', (engine) => {
  beforeEach(async () => {
    server = (await startMediaServer({}, engine)) as EngineTestServer;
    ines = await person(server, 'ines', 'instructor', 'rm1');
    ana = await person(server, 'ana', 'student', 'rm1');
    const started = await ines.api<{ session: { id: string } }>('POST', '/api/classes/rm1/sessions', {
      startNow: true,
    });
    sessionId = started.body.session.id;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const p of peers.splice(0)) p.close();
    await server.stop();
  });

  it('closes the person’s documents, API and call with a reason, and refuses them everywhere, over a restart, until let back in', async () => {
    const code = await openDoc('rm1/code/main', ana);
    const board = await openYjs('rm1/board/main', ana);
    const teacherDoc = await openDoc('rm1/code/main', ines);
    await code.synced();
    await teacherDoc.synced();
    await waitFor(() => board.provider.synced, { message: 'yjs synced' });
    const call = await WeriftMediaPeer.join(server, { sub: 'ana', role: 'student', cls: 'rm1' });
    const teacherCall = await WeriftMediaPeer.join(server, { sub: 'ines', role: 'instructor', cls: 'rm1' });
    peers.push(call, teacherCall);
    expect(teacherCall.joined.peers.map((p) => p.userId)).toEqual(['ana']);

    const removed = await ines.api('POST', '/api/classes/rm1/people/ana/actions', {
      action: 'remove-from-class',
    });
    expect(removed).toMatchObject({ status: 200, body: { action: 'remove-from-class', affected: 1 } });

    // Everything she had open closes with 4410 and says who and what to do.
    const codeClose = await waitFor(() => code.closes[0], { message: 'collab closed' });
    expect(codeClose.code).toBe(CLOSE_CODES.removed);
    expect(codeClose.reason).toContain(REMOVED.slice(0, 60));
    expect((await waitFor(() => board.closes[0], { message: 'yjs closed' })).code).toBe(CLOSE_CODES.removed);
    expect((await call.signal.waitForClose()).code).toBe(CLOSE_CODES.removed);
    const told = call.signal.received('removed')[0];
    expect(told).toMatchObject({ scope: 'class', byName: 'Ines' });
    expect(told?.reason).toContain('Ask the instructor to let you back in');
    expect(await teacherCall.signal.waitForNotification('peerLeft', (d) => d.peerId === call.peerId)).toEqual(
      {
        peerId: call.peerId,
        reason: 'removed',
      },
    );
    // The teacher's own connection is untouched.
    expect(teacherDoc.closes).toEqual([]);

    const refusedEverywhere = async () => {
      const again = await openDoc('rm1/code/main', ana);
      const refusal = await refusalOf(again);
      expect(refusal.code).toBe(CLOSE_CODES.removed);
      expect(refusal.reason).toContain('removed you from this class');
      const yjs = await openYjs('rm1/board/main', ana);
      expect((await waitFor(() => yjs.closes[0], { message: 'yjs refused' })).code).toBe(CLOSE_CODES.removed);
      const api = await ana.api<{ error: { code: string; message: string } }>(
        'GET',
        '/api/classes/rm1/state',
      );
      expect(api.status).toBe(403);
      expect(api.body.error).toEqual({ code: 'removed', message: expect.stringContaining(REMOVED) });
      expect((await ana.api('POST', '/api/classes/rm1/chat/main/messages', { text: 'hi' })).status).toBe(403);
      const media = await mediaJoin('ana');
      expect(media.reply).toMatchObject({ ok: false, error: { code: 'removed' } });
      expect((await media.client.waitForClose()).code).toBe(CLOSE_CODES.removed);
    };
    await refusedEverywhere();

    // Staff see her in the removed list, also after a restart, and she is still refused.
    server = await server.restart();
    ines = await person(server, 'ines', 'instructor', 'rm1');
    ana = await person(server, 'ana', 'student', 'rm1');
    const list = await ines.api<{ removed: { userId: string; byName: string }[] }>(
      'GET',
      '/api/classes/rm1/removals',
    );
    expect(list.body.removed).toMatchObject([{ userId: 'ana', byName: 'Ines' }]);
    const state = await ines.api<{ removed: { userId: string }[] }>('GET', '/api/classes/rm1/state');
    expect(state.body.removed.map((r) => r.userId)).toEqual(['ana']);
    await refusedEverywhere();

    // Let back in: everything works again.
    const staffNotices: string[] = [];
    const teacherAgain = await openDoc('rm1/code/main', ines);
    teacherAgain.provider.on('stateless', ({ payload }: { payload: string }) => staffNotices.push(payload));
    await teacherAgain.synced();
    expect((await ines.api('DELETE', '/api/classes/rm1/removals/ana')).status).toBe(200);
    await waitFor(() => staffNotices.some((p) => p.includes('"removals"')), { message: 'staff told' });
    expect((await ines.api('DELETE', '/api/classes/rm1/removals/ana')).status).toBe(404);
    const back = await openDoc('rm1/code/main', ana);
    await back.synced();
    expect((await ana.api('GET', '/api/classes/rm1/state')).status).toBe(200);
    const media = await WeriftMediaPeer.join(server, { sub: 'ana', role: 'student', cls: 'rm1' });
    peers.push(media);
    expect(media.joined.you.userId).toBe('ana');
  });

  it('ends with the session, and reaches into breakout groups', async () => {
    await ines.api('POST', '/api/classes/rm1/breakouts', { mode: 'chosen', groups: [{ members: ['ana'] }] });
    const group = await ana.api<{ classId: string; token: string }>(
      'POST',
      '/api/classes/rm1/breakouts/token',
      {},
    );
    const inGroup = { token: group.body.token, api: ana.api };
    const groupDoc = await openDoc(`${group.body.classId}/code/main`, inGroup);
    await groupDoc.synced();

    await ines.api('POST', '/api/classes/rm1/people/ana/actions', { action: 'remove-from-class' });
    expect((await waitFor(() => groupDoc.closes[0])).code).toBe(CLOSE_CODES.removed);
    // Her group token is refused too: a removal is from the whole class.
    const again = await openDoc(`${group.body.classId}/code/main`, inGroup);
    expect((await refusalOf(again)).code).toBe(CLOSE_CODES.removed);

    await ines.api('POST', `/api/sessions/${sessionId}/end`);
    expect((await ines.api<{ removed: unknown[] }>('GET', '/api/classes/rm1/removals')).body.removed).toEqual(
      [],
    );
    const back = await openDoc('rm1/code/main', ana);
    await back.synced();
  });
});

describe('person actions: refusals', () => {
  beforeEach(async () => {
    server = (await startMediaServer({}, 'sqlite')) as EngineTestServer;
    ines = await person(server, 'ines', 'instructor', 'rm2');
    ana = await person(server, 'ana', 'student', 'rm2');
    // People the class knows: on its roster.
    await ines.api('POST', '/api/classes/rm2/sessions', { startNow: true });
    const li = await person(server, 'li', 'student', 'rm2');
    const tom = await person(server, 'tom', 'assistant', 'rm2');
    for (const who of [ines, ana, li, tom]) clients.push(connectCollab(server, 'rm2/code/main', who.token));
    await waitFor(async () => {
      const r = await ines.api<{ person?: unknown }>('GET', '/api/classes/rm2/people/tom');
      return r.status === 200;
    });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  it('refuses students, assistants acting on the instructor, oneself, and bad bodies', async () => {
    const tom = await person(server, 'tom', 'assistant', 'rm2');
    const act = (who: Person, target: string, body: unknown) =>
      who.api<{ error: { code: string; message: string } }>(
        'POST',
        `/api/classes/rm2/people/${target}/actions`,
        body,
      );
    for (const body of [
      { action: 'mute' },
      { action: 'remove-from-class' },
      { action: 'grant', grant: 'present' },
    ]) {
      const r = await act(ana, 'li', body);
      expect(r.status, body.action).toBe(403);
      expect(r.body.error.message).toBe('only instructors and assistants can act on a person');
    }
    expect((await ana.api('GET', '/api/classes/rm2/people/li')).status).toBe(403);
    expect((await ana.api('GET', '/api/classes/rm2/removals')).status).toBe(403);
    expect((await ana.api('PUT', '/api/classes/rm2/publish-policy', { policy: 'all' })).status).toBe(403);

    const onInstructor = await act(tom, 'ines', { action: 'remove-from-class' });
    expect(onInstructor.status).toBe(403);
    expect(onInstructor.body.error.message).toBe('assistants cannot moderate the instructor');
    expect((await act(ines, 'ines', { action: 'remove-from-class' })).body.error.message).toBe(
      'staff actions are for other people',
    );
    expect((await act(ines, 'tom', { action: 'grant', grant: 'speak' })).body.error.message).toContain(
      'may publish anything already',
    );
    expect((await act(ines, 'li', { action: 'kick' })).status).toBe(400);
    expect((await act(ines, 'li', { action: 'mute', extra: true })).status).toBe(400);
    // Nobody was removed by any of it.
    expect((await ines.api<{ removed: unknown[] }>('GET', '/api/classes/rm2/removals')).body.removed).toEqual(
      [],
    );
  });

  it('refuses a user id that is not an id, and one the class does not know', async () => {
    const bad = await ines.api('POST', '/api/classes/rm2/people/a%2Fb/actions', { action: 'mute' });
    expect(bad.status).toBe(400);
    const unknown = await ines.api<{ error: { code: string; message: string } }>(
      'POST',
      '/api/classes/rm2/people/nobody/actions',
      { action: 'remove-from-class' },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('nobody with id nobody');
    expect((await ines.api('GET', '/api/classes/rm2/people/nobody')).status).toBe(404);
  });

  it('rate-limits actions per staff member', async () => {
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        ines.api<{ error?: { code: string; message: string } }>(
          'POST',
          '/api/classes/rm2/people/li/actions',
          {
            action: 'mute',
          },
        ),
      ),
    );
    expect(replies.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(20);
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(limited[0]?.body.error).toEqual({
      code: 'rate_limited',
      message: 'too many staff actions; slow down',
    });
    // Reading is not limited by it, and another staff member has their own budget.
    expect((await ines.api('GET', '/api/classes/rm2/people/li')).status).toBe(200);
    const tom = await person(server, 'tom', 'assistant', 'rm2');
    expect((await tom.api('POST', '/api/classes/rm2/people/li/actions', { action: 'mute' })).status).toBe(
      200,
    );
  });
});
