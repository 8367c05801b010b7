// Versions over REST: list, create (label, author), read, restore as a new update on top; history; auth.
// On both storage engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CollabClient, connectCollab } from '../helpers/collabClient.ts';
import { STORAGE_ENGINES, startTestServerOn } from '../helpers/engineServer.ts';
import type { TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';

let server: TestServer;
let editor: CollabClient;
let token: string;
const base = () => `${server.httpUrl}/api/documents/class1/code/main`;
const api = (path: string, init: RequestInit = {}, bearer = token) =>
  fetch(`${base()}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });

describe.each(STORAGE_ENGINES)('versions: %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
    token = await server.token({ sub: 'ins', name: 'Ines', role: 'instructor' });
    editor = connectCollab(server, 'class1/code/main', token);
    await editor.synced();
  });
  afterEach(async () => {
    editor.destroy();
    await server.stop();
  });

  it('create, list, read and restore without rewriting history', async () => {
    const files = editor.doc.getMap('files');
    editor.doc.getText('main.py').insert(0, 'print("v1")\n');
    files.set('lang', 'python');
    await editor.saved();

    const created = await api('/versions', {
      method: 'POST',
      body: JSON.stringify({ label: 'first draft' }),
    });
    expect(created.status).toBe(201);
    const { version } = (await created.json()) as {
      version: { id: number; label: string; authorId: string; authorName: string };
    };
    expect(version).toMatchObject({ label: 'first draft', authorId: 'ins', authorName: 'Ines' });

    editor.doc.getText('main.py').insert(0, '# changed\n');
    files.set('lang', 'ruby');
    files.set('extra', 1);
    await editor.saved();

    const list = (await (await api('/versions')).json()) as { versions: { id: number }[] };
    expect(list.versions.map((v) => v.id)).toEqual([version.id]);

    const read = (await (await api(`/versions/${version.id}`)).json()) as {
      content: Record<string, unknown>;
      update: string;
    };
    expect(read.content).toEqual({ 'main.py': 'print("v1")\n', files: { lang: 'python' } });
    expect(read.update.length).toBeGreaterThan(10);

    const seqBefore = await server.tandem.ctx.collab.store.currentSeq('class1/code/main');
    const restored = await api(`/versions/${version.id}/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    await waitFor(() => editor.doc.getText('main.py').toString() === 'print("v1")\n');
    expect(editor.doc.getMap('files').toJSON()).toEqual({ lang: 'python' });

    // Restore is a new, attributed update on top: the log only grew.
    const history = (await (await api('/history')).json()) as { entries: { seq: number; userId: string }[] };
    expect(history.entries.at(-1)!.seq).toBeGreaterThan(seqBefore);
    expect(history.entries.at(-1)!.userId).toBe('ins');
    expect(history.entries.length).toBeGreaterThanOrEqual(5);
  });

  it('is authorized like the document', async () => {
    const observer = await server.token({ sub: 'obs', role: 'observer' });
    expect((await api('/versions', {}, observer)).status).toBe(200);
    expect((await api('/versions', { method: 'POST', body: '{"label":"x"}' }, observer)).status).toBe(403);
    const otherClass = await server.token({ sub: 'ins', role: 'instructor', cls: 'class2' });
    expect((await api('/versions', {}, otherClass)).status).toBe(403);
    expect((await api('/versions', { headers: { authorization: '' } })).status).toBe(401);
    expect((await api('/versions', {}, 'garbage')).status).toBe(401);
    const otherWs = await fetch(`${server.httpUrl}/api/documents/class1/ws/someone/versions`, {
      headers: { authorization: `Bearer ${await server.token({ sub: 'stu', role: 'student' })}` },
    });
    expect(otherWs.status).toBe(403);
    expect((await api('/versions/999')).status).toBe(404);
    expect((await api('/versions/abc')).status).toBe(400);
    const badKind = await fetch(`${server.httpUrl}/api/documents/class1/nope/main/versions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(badKind.status).toBe(400);
  });

  it('refuses made-up class ids before reading their locks: the lock cache does not grow', async () => {
    const { locks } = server.tandem.ctx.collab;
    const before = locks.size;
    for (let i = 0; i < 50; i++) {
      for (const path of ['versions', 'history']) {
        const res = await fetch(`${server.httpUrl}/api/documents/made-up-${i}/code/main/${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
          'another class',
        );
      }
    }
    expect(locks.size).toBe(before);
    // The caller's own class still answers.
    expect((await api('/versions')).status).toBe(200);
  });
});
