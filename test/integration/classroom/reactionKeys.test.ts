// Issue #10 point 4: reaction names are user-chosen keys. Names of Object.prototype members work like any
// other name, through the real REST API, into the chat document other clients read, and across a restart;
// `__proto__` (which lib0 would decode as a prototype) is refused with 400, never a 500.
// On both storage engines.
import { readChatMessages } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type Caller, person } from './classroomApi.ts';

const ROOM = '/api/classes/class1/chat/main';
const BUILT_INS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

let server: EngineTestServer;
let ana: { token: string; api: Caller };
let li: { token: string; api: Caller };

describe.each(STORAGE_ENGINES)('reactionKeys on %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
    ana = await person(server, 'ana', 'student');
    li = await person(server, 'li', 'student');
  });
  afterEach(async () => {
    await server.stop();
  });

  async function postMessage(): Promise<string> {
    const res = await ana.api<{ message: { id: string } }>('POST', `${ROOM}/messages`, { text: 'hi' });
    expect(res.status, res.text).toBe(201);
    return res.body.message.id;
  }

  describe('reactions named like object built-ins', () => {
    it.each(BUILT_INS)('"%s" is an ordinary reaction: added, shown, removed', async (name) => {
      const id = await postMessage();
      const react = (who: { api: Caller }, on: boolean) =>
        who.api<{ message: { reactions: Record<string, string[]> } }>(
          'PUT',
          `${ROOM}/messages/${id}/reactions`,
          {
            reaction: name,
            on,
          },
        );
      const first = await react(ana, true);
      expect(first.status, first.text).toBe(200);
      expect(first.body.message.reactions).toEqual({ [name]: ['ana'] });
      const second = await react(li, true);
      expect(second.body.message.reactions).toEqual({ [name]: ['ana', 'li'] });
      // Removing a reaction nobody gave is a no-op, not a crash on the built-in member.
      expect(
        (await li.api('PUT', `${ROOM}/messages/${id}/reactions`, { reaction: '👍', on: false })).status,
      ).toBe(200);
      await react(ana, false);
      const last = await react(li, false);
      expect(last.status).toBe(200);
      expect(last.body.message.reactions).toEqual({});
    });

    it('all of them on one message reach other clients and survive a restart', async () => {
      const id = await postMessage();
      for (const name of BUILT_INS) {
        const res = await li.api('PUT', `${ROOM}/messages/${id}/reactions`, { reaction: name, on: true });
        expect(res.status, res.text).toBe(200);
      }
      const expected = Object.fromEntries(BUILT_INS.map((n) => [n, ['li']]));
      const reader = connectCollab(server, 'class1/chat/main', li.token);
      await reader.synced();
      await waitFor(() => readChatMessages(reader.doc).length === 1);
      expect(readChatMessages(reader.doc)[0]?.reactions).toEqual(expected);
      reader.destroy();

      server = await server.restart();
      const after = await (await person(server, 'li', 'student')).api<{ messages: { reactions: unknown }[] }>(
        'GET',
        `${ROOM}/messages`,
      );
      expect(after.body.messages[0]?.reactions).toEqual(expected);
    });

    it('"__proto__" is refused with 400 and changes nothing', async () => {
      const id = await postMessage();
      const res = await li.api('PUT', `${ROOM}/messages/${id}/reactions`, {
        reaction: '__proto__',
        on: true,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'bad_request' } });
      const raw = await li.api(
        'PUT',
        `${ROOM}/messages/${id}/reactions`,
        '{"reaction":"__proto__","on":true}',
      );
      expect(raw.status).toBe(400);
      const list = await li.api<{ messages: { reactions: unknown }[] }>('GET', `${ROOM}/messages`);
      expect(list.body.messages[0]?.reactions).toEqual({});
    });
  });
});
