// Chat through the REST API into the chat document clients read: author and time set by the server,
// threads, edit and delete rules, tombstones and audit, reactions, mentions, read markers, search, limits,
// moderation, and history that survives a restart.
// On both storage engines.
import { CHAT_MAX_CHARS, readChatMessages } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, collectNotices, person } from './classroomApi.ts';

type Message = { id: string; seq: number; text: string; replyTo: string | null; mentions: string[] };
type Person = { token: string; api: Caller };

let server: EngineTestServer;
let reader: CollabClient;
let ana: Person;
let li: Person;
let ines: Person;
const ROOM = '/api/classes/class1/chat/main';

describe.each(STORAGE_ENGINES)('chat on %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
    ana = await person(server, 'ana', 'student');
    li = await person(server, 'li', 'student');
    ines = await person(server, 'ines', 'instructor');
    reader = connectCollab(server, 'class1/chat/main', li.token);
    await reader.synced();
  });
  afterEach(async () => {
    reader.destroy();
    await server.stop();
  });

  const live = () => readChatMessages(reader.doc);
  const send = async (who: Person, text: string, replyTo?: string) => {
    const res = await who.api<{ message: Message }>('POST', `${ROOM}/messages`, {
      text,
      ...(replyTo ? { replyTo } : {}),
    });
    expect(res.status, res.text).toBe(201);
    return res.body.message;
  };

  describe('chat: sending', () => {
    it('a message appears in the chat document with author and time set by the server', async () => {
      const before = Date.now();
      const forged = await ana.api('POST', `${ROOM}/messages`, { text: 'hi', authorId: 'ines' });
      expect(forged.status).toBe(400);
      await send(ana, 'hello @li and @nobody');
      await waitFor(() => live().length === 1);
      const [message] = live();
      expect(message).toMatchObject({
        authorId: 'ana',
        authorName: 'Ana',
        authorRole: 'student',
        text: 'hello @li and @nobody',
        seq: 1,
      });
      expect(message!.ts).toBeGreaterThanOrEqual(before);
      // Only people of the class count as mentions.
      expect(message!.mentions).toEqual(['li']);
    });

    it('threads: a reply to a reply joins the thread of the first message', async () => {
      const root = await send(ana, 'question');
      const reply = await send(li, 'answer', root.id);
      const nested = await send(ines, 'follow-up', reply.id);
      expect(reply.replyTo).toBe(root.id);
      expect(nested.replyTo).toBe(root.id);
      expect((await ana.api('POST', `${ROOM}/messages`, { text: 'x', replyTo: 'm99-abc' })).status).toBe(404);
    });

    it('a repeated send with the same client id posts once (a retry after a dropped answer); bad ids are refused', async () => {
      const body = { text: 'sent twice by the browser', clientId: 'Zp3-kq_9a8sLm2Qx0vR7tw' };
      // The repeat arrives while the first is still being handled, and again after it.
      const [first, concurrent] = await Promise.all([
        ana.api<{ message: Message }>('POST', `${ROOM}/messages`, body),
        ana.api<{ message: Message }>('POST', `${ROOM}/messages`, body),
      ]);
      const later = await ana.api<{ message: Message }>('POST', `${ROOM}/messages`, body);
      for (const res of [first, concurrent, later]) expect(res.status, res.text).toBe(201);
      expect(concurrent.body.message.id).toBe(first.body.message.id);
      expect(later.body.message.id).toBe(first.body.message.id);
      // The same id from another person, or a new id, is a new message.
      const other = await li.api<{ message: Message }>('POST', `${ROOM}/messages`, body);
      const fresh = await send(ana, 'sent twice by the browser');
      expect(new Set([first.body.message.id, other.body.message.id, fresh.id]).size).toBe(3);
      await waitFor(() => live().length === 3);
      expect(live().filter((m) => m.text === body.text)).toHaveLength(3);
      for (const clientId of ['short', 'x'.repeat(65), 'has space in it', 42]) {
        const refused = await ana.api('POST', `${ROOM}/messages`, { text: 'x', clientId });
        expect(refused.status, String(clientId)).toBe(400);
        expect(refused.text).toContain('clientId');
      }
    });

    it('enforces the 4,000-character limit, empty text and the body size limit', async () => {
      expect((await ana.api('POST', `${ROOM}/messages`, { text: 'é'.repeat(CHAT_MAX_CHARS) })).status).toBe(
        201,
      );
      expect(
        (await ana.api('POST', `${ROOM}/messages`, { text: 'a'.repeat(CHAT_MAX_CHARS + 1) })).status,
      ).toBe(400);
      expect((await ana.api('POST', `${ROOM}/messages`, { text: '   ' })).status).toBe(400);
      expect((await ana.api('POST', `${ROOM}/messages`, { text: 'x'.repeat(40_000) })).status).toBe(413);
    });

    it('nobody writes chat over sync, observers cannot post, other classes cannot reach it', async () => {
      const observer = await person(server, 'obs', 'observer');
      expect((await observer.api('POST', `${ROOM}/messages`, { text: 'hi' })).status).toBe(403);
      expect((await observer.api('GET', `${ROOM}/messages`)).status).toBe(200);
      const outsider = await person(server, 'ana', 'student', 'class2');
      expect((await outsider.api('POST', `${ROOM}/messages`, { text: 'hi' })).status).toBe(403);
      expect((await fetch(`${server.httpUrl}${ROOM}/messages`)).status).toBe(401);

      const writer = connectCollab(server, 'class1/chat/main', ines.token);
      await writer.synced();
      expect(writer.scope()).toBe('readonly');
      writer.doc.getMap('messages').set('forged', { text: 'sneaky' });
      await send(ana, 'real');
      await waitFor(() => live().length === 1);
      expect(reader.doc.getMap('messages').has('forged')).toBe(false);
      writer.destroy();
    });
  });

  describe('chat: hostile input and typing', () => {
    it('stores hostile text verbatim (rendering makes it inert) and only ever answers JSON', async () => {
      const payloads = [
        '<img src=x onerror=alert(1)>',
        '[x](javascript:alert(1))',
        '```\n</code><script>alert(1)</script>\n```',
      ];
      for (const text of payloads) {
        const res = await fetch(`${server.httpUrl}${ROOM}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
        });
        expect(res.status).toBe(201);
        expect(res.headers.get('content-type')).toContain('application/json');
      }
      await waitFor(() => live().length === 3);
      expect(live().map((m) => m.text)).toEqual(payloads);
    });

    it('typing goes through awareness on the read-only chat document, under the server-set name', async () => {
      const typist = await (async () => {
        const c = connectCollab(server, 'class1/chat/main', ana.token);
        await c.synced();
        return c;
      })();
      typist.provider.setAwarenessField('user', { id: 'ines', name: 'Not Ana' });
      typist.provider.setAwarenessField('chatTyping', { room: 'main', n: 1 });
      const seen = () =>
        [...reader.provider.awareness!.getStates().values()].find(
          (s) => (s.chatTyping as { n?: number } | undefined)?.n === 1,
        );
      await waitFor(seen);
      expect(seen()!.user).toMatchObject({ id: 'ana', name: 'Ana' });
      typist.destroy();
    });
  });

  describe('chat: changing messages', () => {
    it('authors edit their own messages only; the old text goes to the audit', async () => {
      const m = await send(ana, 'tpyo');
      expect((await li.api('PATCH', `${ROOM}/messages/${m.id}`, { text: 'hijack' })).status).toBe(403);
      expect((await ines.api('PATCH', `${ROOM}/messages/${m.id}`, { text: 'staff edit' })).status).toBe(403);
      const edited = await ana.api('PATCH', `${ROOM}/messages/${m.id}`, { text: 'typo' });
      expect(edited.body).toMatchObject({ message: { text: 'typo' } });
      await waitFor(() => live()[0]?.text === 'typo' && live()[0]?.editedAt !== null);
    });

    it('authors delete their own; staff delete any; a tombstone stays and staff can read what was removed', async () => {
      const own = await send(ana, 'mine');
      const rude = await send(li, 'something rude');
      expect((await ana.api('DELETE', `${ROOM}/messages/${rude.id}`)).status).toBe(403);
      expect((await ana.api('DELETE', `${ROOM}/messages/${own.id}`)).status).toBe(200);
      expect((await ines.api('DELETE', `${ROOM}/messages/${rude.id}`)).status).toBe(200);
      // Both messages there and both deleted (an empty list would pass `every` before they arrive).
      await waitFor(() => {
        const messages = live().filter((m) => m.id === own.id || m.id === rude.id);
        return messages.length === 2 && messages.every((m) => m.deleted !== null);
      });
      const tomb = live().find((m) => m.id === rude.id)!;
      expect(tomb).toMatchObject({ text: '', deleted: { byId: 'ines', byName: 'Ines' }, authorId: 'li' });
      expect(JSON.stringify(reader.doc.toJSON())).not.toContain('something rude');

      const audit = await ines.api<{ entries: { action: string; oldText: string; actorId: string }[] }>(
        'GET',
        `${ROOM}/audit`,
      );
      expect(audit.body.entries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'delete', oldText: 'something rude', actorId: 'ines' }),
        ]),
      );
      expect((await ana.api('GET', `${ROOM}/audit`)).status).toBe(403);
      expect((await ana.api('PATCH', `${ROOM}/messages/${own.id}`, { text: 'back' })).status).toBe(409);
    });

    it('reactions toggle per person', async () => {
      const m = await send(ana, 'nice');
      await li.api('PUT', `${ROOM}/messages/${m.id}/reactions`, { reaction: '👍', on: true });
      await ines.api('PUT', `${ROOM}/messages/${m.id}/reactions`, { reaction: '👍', on: true });
      await ines.api('PUT', `${ROOM}/messages/${m.id}/reactions`, { reaction: '🎉', on: true });
      await ines.api('PUT', `${ROOM}/messages/${m.id}/reactions`, { reaction: '🎉', on: false });
      await waitFor(() => JSON.stringify(live()[0]?.reactions) === JSON.stringify({ '👍': ['li', 'ines'] }));
      const markup = await li.api('PUT', `${ROOM}/messages/${m.id}/reactions`, {
        reaction: '<img>',
        on: true,
      });
      expect(markup.status).toBe(400);
    });
  });

  describe('chat: reading', () => {
    it('read markers and unread counts per person, with mentions', async () => {
      await send(ana, 'one');
      const two = await send(ana, 'two @li');
      await send(li, 'mine do not count');
      const status = await li.api('GET', `${ROOM}/status`);
      expect(status.body).toMatchObject({ lastSeq: 3, readSeq: 0, unread: 2, unreadMentions: 1 });
      await li.api('PUT', `${ROOM}/read`, { seq: two.seq });
      // Markers never move back.
      await li.api('PUT', `${ROOM}/read`, { seq: 1 });
      expect((await li.api('GET', `${ROOM}/status`)).body).toMatchObject({
        readSeq: 2,
        unread: 0,
        unreadMentions: 0,
      });
      expect((await ana.api('GET', `${ROOM}/status`)).body).toMatchObject({ unread: 1 });
    });

    it('search finds words in text and author names, newest first, and skips deleted messages', async () => {
      await send(ana, 'How do I reverse a list?');
      const gone = await send(li, 'reverse it with slicing');
      await send(ines, 'Use list.reverse() or reversed(list)');
      await li.api('DELETE', `${ROOM}/messages/${gone.id}`);
      const hits = await ana.api<{ messages: Message[] }>(
        'GET',
        `${ROOM}/search?q=${encodeURIComponent('REVERSE list')}`,
      );
      expect(hits.body.messages.map((m) => m.text)).toEqual([
        'Use list.reverse() or reversed(list)',
        'How do I reverse a list?',
      ]);
      const byAuthor = await ana.api<{ messages: Message[] }>('GET', `${ROOM}/search?q=ines`);
      expect(byAuthor.body.messages).toHaveLength(1);
      expect((await ana.api('GET', `${ROOM}/search?q=`)).status).toBe(400);
    });

    it('history survives a restart and stays searchable', async () => {
      await send(ana, 'remember the alamo');
      reader.destroy();
      server = await server.restart();
      reader = connectCollab(server, 'class1/chat/main', await server.token({ sub: 'li', role: 'student' }));
      await reader.synced();
      expect(live().map((m) => m.text)).toEqual(['remember the alamo']);
      const again = await person(server, 'ana', 'student');
      const hits = await again.api<{ messages: Message[] }>('GET', `${ROOM}/search?q=alamo`);
      expect(hits.body.messages).toHaveLength(1);
      const next = await again.api<{ message: Message }>('POST', `${ROOM}/messages`, {
        text: 'after restart',
      });
      expect(next.body.message.seq).toBe(2);
    });
  });

  describe('chat: moderation and limits', () => {
    it('a per-person rate limit stops floods without touching others', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++)
        statuses.push((await ana.api('POST', `${ROOM}/messages`, { text: `spam ${i}` })).status);
      expect(statuses.slice(0, 8).every((s) => s === 201)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      expect((await li.api('POST', `${ROOM}/messages`, { text: 'still fine' })).status).toBe(201);
    });

    it('slow mode spaces students out; staff are exempt; everyone is told', async () => {
      const notices = collectNotices(reader);
      expect((await ana.api('PUT', `${ROOM}/slow-mode`, { seconds: 30 })).status).toBe(403);
      expect((await ines.api('PUT', `${ROOM}/slow-mode`, { seconds: 30 })).status).toBe(200);
      await waitFor(() => notices.some((n) => n.type === 'chatSettings' && n.slowModeSeconds === 30));
      expect((await ana.api('POST', `${ROOM}/messages`, { text: 'one' })).status).toBe(201);
      const second = await ana.api<{ error: { message: string } }>('POST', `${ROOM}/messages`, {
        text: 'two',
      });
      expect(second.status).toBe(429);
      expect(second.body.error.message).toMatch(/slow mode.*wait \d+ s/);
      expect((await ines.api('POST', `${ROOM}/messages`, { text: 'a' })).status).toBe(201);
      expect((await ines.api('POST', `${ROOM}/messages`, { text: 'b' })).status).toBe(201);
      expect((await li.api('GET', `${ROOM}/status`)).body).toMatchObject({ slowModeSeconds: 30 });
    });

    it('moderators mute and unmute a person; the person is told; staff cannot be muted', async () => {
      const anaClient = connectCollab(server, 'class1/code/main', ana.token);
      await anaClient.synced();
      const notices = collectNotices(anaClient);
      expect((await li.api('PUT', '/api/classes/class1/chat-mutes/ana', { muted: true })).status).toBe(403);
      const muted = await ines.api('PUT', '/api/classes/class1/chat-mutes/ana', { muted: true, minutes: 5 });
      expect(muted.status).toBe(200);
      await waitFor(() => notices.some((n) => n.type === 'chatMuted' && n.muted));
      const refused = await ana.api<{ error: { message: string } }>('POST', `${ROOM}/messages`, {
        text: 'let me talk',
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('muted');
      expect(
        (await ana.api<{ chat: { muted: boolean } }>('GET', '/api/classes/class1/state')).body.chat.muted,
      ).toBe(true);
      await ines.api('PUT', '/api/classes/class1/chat-mutes/ana', { muted: false });
      expect((await ana.api('POST', `${ROOM}/messages`, { text: 'thanks' })).status).toBe(201);
      const insConn = connectCollab(server, 'class1/code/main', ines.token);
      await insConn.synced();
      expect((await ines.api('PUT', '/api/classes/class1/chat-mutes/ines', { muted: true })).status).toBe(
        403,
      );
      anaClient.destroy();
      insConn.destroy();
    });

    it('pair rooms are separate chat documents of the class', async () => {
      const pair = await ana.api('POST', '/api/classes/class1/chat/pair-7/messages', { text: 'just us' });
      expect(pair.status).toBe(201);
      const pairReader = connectCollab(server, 'class1/chat/pair-7', li.token);
      await pairReader.synced();
      expect(readChatMessages(pairReader.doc).map((m) => m.text)).toEqual(['just us']);
      expect(live()).toEqual([]);
      expect(
        (await ana.api('POST', '/api/classes/class1/chat/bad%20room/messages', { text: 'x' })).status,
      ).toBe(400);
      pairReader.destroy();
    });
  });
});
