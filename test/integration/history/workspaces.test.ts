// A student's workspace for grading, on both engines: the activity summary (staff only; a paste marked) and
// the zip export of one workspace (staff and its owner) or the whole class's (staff), size-limited.
import { createCodeFile, getCodeFile } from '@tandem/shared';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type EngineTestServer, STORAGE_ENGINES, startTestServerOn } from '../../helpers/engineServer.ts';

let server: EngineTestServer;
const clients: CollabClient[] = [];

async function workspaceOf(sub: string, files: Record<string, string>) {
  const client = connectCollab(server, `class1/ws/${sub}`, await server.token({ sub, role: 'student' }));
  clients.push(client);
  await client.synced();
  for (const [name, content] of Object.entries(files)) {
    createCodeFile(client.doc, { id: name.replace(/\W/g, ''), name, content, createdBy: sub });
  }
  await client.saved();
  return client;
}

async function get(path: string, sub: string, role: 'student' | 'instructor' | 'assistant' = 'instructor') {
  const token = await server.token({ sub, role });
  return fetch(`${server.httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

const unzip = async (res: Response) => unzipSync(new Uint8Array(await res.arrayBuffer()));
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe.each(STORAGE_ENGINES)('workspaces: %s', (engine) => {
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  it('summarizes activity for staff, with the large paste marked', async () => {
    server = await startTestServerOn(engine);
    const ana = await workspaceOf('ana', { 'main.py': '' });
    const file = getCodeFile(ana.doc, 'mainpy')!.text;
    for (const ch of 'def f():\n') {
      file.insert(file.length, ch);
      await ana.saved();
    }
    file.insert(file.length, `    return ${'1 + '.repeat(100)}1\n`);
    await ana.saved();

    const res = await get('/api/classes/class1/workspaces/ana/activity?pasteChars=300', 'ins');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      document: string;
      edits: number;
      inserted: number;
      editingMs: number;
      sessions: unknown[];
      buckets: { edits: number }[];
      pastes: { chars: number }[];
    };
    expect(body.document).toBe('class1/ws/ana');
    expect(body.edits).toBeGreaterThanOrEqual(10);
    expect(body.inserted).toBeGreaterThanOrEqual(9 + 411);
    expect(body.sessions).toHaveLength(1);
    expect(body.buckets.reduce((n, b) => n + b.edits, 0)).toBe(body.edits);
    expect(body.pastes).toHaveLength(1);
    expect(body.pastes[0]!.chars).toBeGreaterThanOrEqual(411);

    // A teacher's paste into the workspace is not the student's work.
    const teacher = connectCollab(
      server,
      'class1/ws/ana',
      await server.token({ sub: 'ins', role: 'instructor' }),
    );
    clients.push(teacher);
    await teacher.synced();
    const theirs = getCodeFile(teacher.doc, 'mainpy')!.text;
    theirs.insert(theirs.length, `# ${'hint '.repeat(100)}\n`);
    await teacher.saved();
    const again = await get('/api/classes/class1/workspaces/ana/activity?pasteChars=300', 'ins');
    expect(await again.json()).toMatchObject({
      edits: body.edits,
      inserted: body.inserted,
      pastes: body.pastes,
    });

    expect((await get('/api/classes/class1/workspaces/ana/activity', 'ast', 'assistant')).status).toBe(200);
    expect((await get('/api/classes/class1/workspaces/ana/activity', 'ana', 'student')).status).toBe(403);
    expect((await get('/api/classes/class1/workspaces/ana/activity?gapMinutes=0', 'ins')).status).toBe(400);
    expect((await get('/api/classes/class1/workspaces/a%2Fb/activity', 'ins')).status).toBe(400);
    expect((await fetch(`${server.httpUrl}/api/classes/class1/workspaces/ana/activity`)).status).toBe(401);
  });

  it('exports a workspace to its owner and staff, every workspace to staff, and refuses the rest', async () => {
    server = await startTestServerOn(engine);
    await workspaceOf('ana', { 'main.py': 'print("ana")\n', 'notes.md': '# Ana' });
    await workspaceOf('bob', { 'main.py': 'print("bob")\n' });

    const own = await get('/api/classes/class1/workspaces/ana/export', 'ana', 'student');
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/zip');
    expect(own.headers.get('content-disposition')).toContain('class1-ana.zip');
    const files = await unzip(own);
    expect(Object.keys(files).sort()).toEqual(['ana/main.py', 'ana/notes.md']);
    expect(text(files['ana/main.py'])).toBe('print("ana")\n');

    expect((await get('/api/classes/class1/workspaces/ana/export', 'bob', 'student')).status).toBe(403);
    expect((await get('/api/classes/class1/workspaces/export', 'bob', 'student')).status).toBe(403);

    const all = await get('/api/classes/class1/workspaces/export', 'ins');
    expect(all.status).toBe(200);
    const everything = await unzip(all);
    expect(Object.keys(everything).sort()).toEqual(['ana/main.py', 'ana/notes.md', 'bob/main.py']);
    expect(text(everything['bob/main.py'])).toBe('print("bob")\n');
  });

  it('refuses an export larger than EXPORT_MAX_BYTES before sending any of it', async () => {
    server = await startTestServerOn(engine, { EXPORT_MAX_BYTES: '2048' });
    await workspaceOf('ana', { 'big.txt': 'x'.repeat(3000) });
    const res = await get('/api/classes/class1/workspaces/ana/export', 'ins');
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_large');
  });
});
