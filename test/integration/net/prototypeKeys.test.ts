// Issue #10 point 4: user-chosen strings used as object keys in replies. A user whose id is `__proto__` keeps
// their name in blame replies; a presence field named `__proto__` reaches other clients; a document map key
// `__proto__` shows in a version's content and is put back by a restore. Through real clients.
import { createCodeFile, getCodeFile } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { caller } from '../classroom/classroomApi.ts';

const DOC = 'class1/code/main';
const API_KEY = 'platform-key-0123456789abcdef';
let server: TestServer;
const clients: CollabClient[] = [];

async function join(sub: string, name: string, role: 'student' | 'instructor' = 'student') {
  const client = connectCollab(server, DOC, await server.token({ sub, name, role }));
  clients.push(client);
  await client.synced();
  return client;
}

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const token = await server.token({ sub: 'ins', name: 'Ines', role: 'instructor' });
  const res = await fetch(`${server.httpUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The own value at `key`, so an inherited member or a changed prototype does not pass for it. */
const own = (record: object, key: string) => Object.getOwnPropertyDescriptor(record, key)?.value;

describe('user-chosen keys in replies', () => {
  beforeEach(async () => {
    server = await startTestServer({ API_KEYS: API_KEY });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  it('blame names users whose ids are __proto__ and constructor', async () => {
    const platform = caller(server, API_KEY);
    expect((await platform('POST', '/api/classes', { id: 'class1', title: 'Class' })).status).toBe(201);
    const roster = await platform('PUT', '/api/classes/class1/roster', {
      members: [
        { userId: '__proto__', name: 'Proto Person', role: 'student' },
        { userId: 'constructor', name: 'Connie', role: 'student' },
      ],
    });
    expect(roster.status, roster.text).toBe(200);
    const proto = await join('__proto__', 'Proto Person');
    createCodeFile(proto.doc, { id: 'main', name: 'main.py', content: 'a = 1\n', createdBy: '__proto__' });
    await proto.saved();
    const ctor = await join('constructor', 'Connie');
    await waitFor(() => getCodeFile(ctor.doc, 'main') !== null);
    const text = getCodeFile(ctor.doc, 'main')!.text;
    text.insert(text.length, 'b = 2\n');
    await ctor.saved();

    const reply = await api<{ lines: { userId: string | null }[]; names: Record<string, string> }>(
      `/api/documents/${DOC}/blame?file=main`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.lines.slice(0, 2).map((l) => l.userId)).toEqual(['__proto__', 'constructor']);
    expect(own(reply.body.names, '__proto__')).toBe('Proto Person');
    expect(own(reply.body.names, 'constructor')).toBe('Connie');
  });

  it('a presence field named __proto__ is an ordinary field for other clients', async () => {
    const ana = await join('ana', 'Ana');
    const li = await join('li', 'Li');
    const fields = JSON.parse('{"__proto__":"x","constructor":"teal","colour":"red"}') as object;
    ana.provider.setAwarenessField('user', fields);
    const user = await waitFor(() => {
      const state = li.provider.awareness!.getStates().get(ana.doc.clientID);
      return state?.user?.colour === 'red' ? (state.user as object) : undefined;
    });
    expect(own(user, '__proto__')).toBe('x');
    expect(own(user, 'constructor')).toBe('teal');
    // Identity still comes from the token.
    expect(user).toMatchObject({ id: 'ana', name: 'Ana', role: 'student' });
  });

  it('a map key __proto__ shows in version content and is restored', async () => {
    const ins = await join('ins', 'Ines', 'instructor');
    const settings = ins.doc.getMap('settings');
    settings.set('__proto__', 'top');
    const entry = new Y.Map<unknown>();
    ins.doc.getArray('list').push([entry]);
    entry.set('__proto__', 'v1');
    await ins.saved();
    const created = await api<{ version: { id: number } }>(`/api/documents/${DOC}/versions`, {
      method: 'POST',
      body: JSON.stringify({ label: 'keys' }),
    });
    expect(created.status).toBe(201);
    const id = created.body.version.id;

    const read = await api<{ content: { settings: object; list: object[] } }>(
      `/api/documents/${DOC}/versions/${id}`,
    );
    expect(read.status).toBe(200);
    expect(own(read.body.content.settings, '__proto__')).toBe('top');
    expect(own(read.body.content.list[0]!, '__proto__')).toBe('v1');

    // The versions differ only under `__proto__`: the restore must still see the change.
    entry.set('__proto__', 'v2');
    await ins.saved();
    const restored = await api<{ restoredFrom: number }>(`/api/documents/${DOC}/versions/${id}/restore`, {
      method: 'POST',
    });
    expect(restored.status).toBe(200);
    await waitFor(() => {
      const first = ins.doc.getArray('list').get(0);
      return first instanceof Y.Map && first.get('__proto__') === 'v1';
    });
  });
});
