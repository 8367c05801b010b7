// The permission table, token failures and live lock changes, through real providers, on both storage engines
// (the class locks are stored, and hold across a restart).
import { decodeCollabNotice, type Role } from '@tandem/shared';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CollabClient, clientTracker, connectCollab, connectYjs } from '../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../helpers/engineServer.ts';
import { TEST_SECRET } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';

let server: EngineTestServer;
const { track, destroyAll } = clientTracker();

async function open(doc: string, sub: string, role: Role, cls = 'class1') {
  return track(connectCollab(server, doc, await server.token({ sub, role, cls })));
}

/**
 * Waits until the server either authenticated the document (returning its scope) or refused it. A refusal is
 * a permission-denied message followed by the close: it counts once the close has arrived.
 */
async function outcome(c: CollabClient): Promise<string> {
  return waitFor(() => c.scope() ?? (c.closes[0] ? `closed ${c.closes[0].code}` : undefined));
}

const TABLE: [doc: string, role: Role, sub: string, expected: string][] = [
  ['class1/code/main', 'instructor', 'ins', 'read-write'],
  ['class1/code/main', 'assistant', 'ast', 'read-write'],
  ['class1/code/main', 'student', 'stu', 'read-write'],
  ['class1/code/main', 'observer', 'obs', 'readonly'],
  ['class1/ws/stu', 'student', 'stu', 'read-write'],
  ['class1/ws/stu', 'instructor', 'ins', 'read-write'],
  ['class1/ws/stu', 'assistant', 'ast', 'read-write'],
  ['class1/ws/stu', 'student', 'other', 'closed 4403'],
  ['class1/ws/stu', 'observer', 'obs', 'closed 4403'],
  ['class1/board/main', 'instructor', 'ins', 'read-write'],
  ['class1/board/main', 'student', 'stu', 'read-write'],
  ['class1/board/main', 'observer', 'obs', 'readonly'],
  ['class1/chat/main', 'instructor', 'ins', 'readonly'],
  ['class1/chat/main', 'student', 'stu', 'readonly'],
  ['class1/chat/main', 'observer', 'obs', 'readonly'],
];

describe.each(STORAGE_ENGINES)('collab permissions: %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
  });
  afterEach(async () => {
    destroyAll();
    await server.stop();
  });

  describe('permission table', () => {
    it.each(TABLE)('%s as %s (%s) → %s', async (doc, role, sub, expected) => {
      expect(await outcome(await open(doc, sub, role))).toBe(expected);
    });

    it('locked code and board make students read-only; staff keep writing; the locks hold after a restart', async () => {
      await server.tandem.ctx.collab.setLocks('class1', { codeLocked: true, boardLocked: true });
      expect(await outcome(await open('class1/code/main', 'stu', 'student'))).toBe('readonly');
      expect(await outcome(await open('class1/board/main', 'stu', 'student'))).toBe('readonly');
      expect(await outcome(await open('class1/code/main', 'ast', 'assistant'))).toBe('read-write');

      destroyAll();
      server = await server.restart();
      expect(await outcome(await open('class1/code/main', 'stu', 'student'))).toBe('readonly');
      expect(await outcome(await open('class1/board/main', 'stu', 'student'))).toBe('readonly');
    });

    it('a token for one class never opens another class', async () => {
      const c = await open('class2/code/main', 'stu', 'instructor', 'class1');
      expect(await outcome(c)).toBe('closed 4403');
      expect(c.denied[0]).toContain('another class');
    });
  });

  describe('read-only is enforced by the server', () => {
    it("an observer's edit never reaches the document, other clients or storage", async () => {
      const writer = await open('class1/code/main', 'ins', 'instructor');
      const observer = await open('class1/code/main', 'obs', 'observer');
      await Promise.all([writer.synced(), observer.synced()]);
      writer.doc.getText('t').insert(0, 'hello');
      await waitFor(() => observer.doc.getText('t').toString() === 'hello');

      observer.doc.getText('t').insert(0, 'EVIL ');
      // Awareness is handled after the update on the same connection: once it arrives, the update was processed.
      observer.provider.setAwarenessField('marker', 1);
      await waitFor(() => writer.provider.awareness?.getStates().get(observer.doc.clientID)?.marker === 1);

      expect(writer.doc.getText('t').toString()).toBe('hello');
      const live = server.tandem.ctx.collab.hocuspocus.documents.get('class1/code/main')!;
      expect(live.getText('t').toString()).toBe('hello');
      const authors = (await server.tandem.ctx.collab.store.history('class1/code/main')).map((e) => e.userId);
      expect(authors).not.toContain('obs');
      expect(authors).toContain('ins');
    });

    it('locking takes effect on open connections at once, and unlocking restores writing', async () => {
      const teacher = await open('class1/code/main', 'ins', 'instructor');
      const student = await open('class1/code/main', 'stu', 'student');
      const rogue = await open('class1/code/main', 'rogue', 'student');
      await Promise.all([teacher.synced(), student.synced(), rogue.synced()]);
      const notices: string[] = [];
      student.provider.on('stateless', ({ payload }: { payload: string }) => notices.push(payload));

      await server.tandem.ctx.collab.setLocks('class1', { codeLocked: true });
      await waitFor(() => notices.length === 1);
      expect(decodeCollabNotice(notices[0]!)).toEqual({ type: 'access', access: 'read' });
      // A client that ignores the notice is refused by the server.
      rogue.doc.getText('t').insert(0, 'while locked');
      rogue.provider.setAwarenessField('marker', 1);
      await waitFor(() => teacher.provider.awareness?.getStates().get(rogue.doc.clientID)?.marker === 1);
      expect(teacher.doc.getText('t').toString()).toBe('');

      await server.tandem.ctx.collab.setLocks('class1', { codeLocked: false });
      await waitFor(() => notices.length === 2);
      expect(decodeCollabNotice(notices[1]!)).toEqual({ type: 'access', access: 'write' });
      student.doc.getText('t').insert(0, 'unlocked');
      await waitFor(() => teacher.doc.getText('t').toString() === 'unlocked');
    });
  });

  describe('token failures', () => {
    const secret = new TextEncoder().encode(TEST_SECRET);
    const claims = { name: 'X', cls: 'class1', role: 'student' };
    const now = () => Math.floor(Date.now() / 1000);

    it.each([
      ['missing', async () => ''],
      ['malformed', async () => 'not-a-jwt'],
      [
        'badly signed',
        async () =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('x')
            .setExpirationTime(now() + 60)
            .sign(new TextEncoder().encode('another-secret-another-secret-another-secret')),
      ],
      [
        'expired',
        async () =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('x')
            .setExpirationTime(now() - 60)
            .sign(secret),
      ],
      [
        'without exp',
        async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(secret),
      ],
      [
        'with a bad role',
        async () =>
          new SignJWT({ ...claims, role: 'admin' })
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('x')
            .setExpirationTime(now() + 60)
            .sign(secret),
      ],
      [
        'alg none',
        async () =>
          `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, sub: 'x', exp: now() + 60 })).toString('base64url')}.`,
      ],
    ])('%s token → close 4401', async (_label, make) => {
      const c = track(connectCollab(server, 'class1/code/main', await make()));
      expect(await outcome(c)).toBe('closed 4401');
    });

    it('a connection whose token expires is closed with 4401', async () => {
      const c = track(
        connectCollab(
          server,
          'class1/code/main',
          await server.token({ sub: 'stu', role: 'student', ttlSeconds: 2 }),
        ),
      );
      await c.synced();
      const closed = await waitFor(() => c.closes[0], { timeoutMs: 8000 });
      expect(closed.code).toBe(4401);
      expect(closed.reason).toContain('expired');
    });

    it('a provider that refreshes its token stays connected past the old expiry', async () => {
      let ttlSeconds = 2;
      const firstExpiry = Date.now() + 2000;
      const tokenFn = () => server.token({ sub: 'stu', role: 'student', ttlSeconds });
      const c = track(connectCollab(server, 'class1/code/main', tokenFn));
      await c.synced();
      ttlSeconds = 3600;
      await c.provider.sendToken();
      const teacher = await open('class1/code/main', 'ins', 'instructor');
      await teacher.synced();
      // Well past the first token's expiry, edits still flow.
      await waitFor(() => Date.now() > firstExpiry + 1500, { timeoutMs: 6000, intervalMs: 100 });
      c.doc.getText('t').insert(0, 'still here');
      await waitFor(() => teacher.doc.getText('t').toString() === 'still here');
      expect(c.closes).toEqual([]);
    });

    it('a refresh may only extend the same user, class and role: a new role closes the connection', async () => {
      let role: 'observer' | 'student' = 'observer';
      const tokenFn = () => server.token({ sub: 'obs', role });
      const c = track(connectCollab(server, 'class1/code/main', tokenFn));
      await c.synced();
      role = 'student';
      await c.provider.sendToken();
      const closed = await waitFor(() => c.closes[0], { message: 'connection closed after a role change' });
      expect(closed.code).toBe(4403);
      expect(closed.reason).toContain('role');
    });

    it('a refresh for another user is refused and the connection closes', async () => {
      let sub = 'stu';
      const tokenFn = () => server.token({ sub, role: 'student' });
      const c = track(connectCollab(server, 'class1/code/main', tokenFn));
      await c.synced();
      sub = 'someone-else';
      await c.provider.sendToken();
      expect((await waitFor(() => c.closes[0])).code).toBe(4403);
    });

    it('y-websocket clients are refused the same way', async () => {
      const bad = track(connectYjs(server, 'class1/code/main', 'garbage'));
      expect((await waitFor(() => bad.closes[0])).code).toBe(4401);
      const other = track(
        connectYjs(server, 'class1/ws/someone', await server.token({ sub: 'stu', role: 'student' })),
      );
      expect((await waitFor(() => other.closes[0])).code).toBe(4403);
    });
  });
});
