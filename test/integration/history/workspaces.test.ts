// A student's workspace for grading, on both engines: the activity summary (staff only; a paste marked) and
// the zip export of one workspace (staff and its owner) or the whole class's (staff; a folder per student named
// for them, files dated by the last edit), size-limited and rate-limited; staff of another class are refused.

import path from 'node:path';
import { createCodeFile, getCodeFile } from '@tandem/shared';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../../server/src/storage/pg/pool.ts';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import {
  type EngineTestServer,
  STORAGE_ENGINES,
  type StoppedData,
  startTestServerOn,
} from '../../helpers/engineServer.ts';

const TEN_DAYS_MS = 10 * 86_400_000;
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

async function get(
  path: string,
  sub: string,
  role: 'student' | 'instructor' | 'assistant' = 'instructor',
  cls = 'class1',
) {
  const token = await server.token({ sub, role, cls });
  return fetch(`${server.httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

/** Moves every edit span ten days into the past (the server is stopped). */
async function ageTheSpans({ dataDir, schema }: StoppedData): Promise<void> {
  if (!schema) {
    const db = new Database(path.join(dataDir, 'tandem.db'));
    db.prepare('UPDATE edit_spans SET first_ts = first_ts - ?, last_ts = last_ts - ?').run(
      TEN_DAYS_MS,
      TEN_DAYS_MS,
    );
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  try {
    await client.query(
      `UPDATE ${quoteIdent(schema.schema)}.edit_spans SET first_ts = first_ts - $1, last_ts = last_ts - $1`,
      [TEN_DAYS_MS],
    );
  } finally {
    await client.end();
  }
}

const unzip = async (res: Response) => unzipSync(new Uint8Array(await res.arrayBuffer()));

/** Each entry's modification time (ms, read as local time like the zip's DOS date) by path. */
function unzipTimes(buffer: ArrayBuffer): Map<string, number> {
  const times = new Map<string, number>();
  // fflate does not expose entry times: read the central directory's DOS time and date.
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  for (let at = 0; at + 46 <= bytes.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const time = view.getUint16(at + 12, true);
    const date = view.getUint16(at + 14, true);
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const when = new Date(
      (date >> 9) + 1980,
      ((date >> 5) & 15) - 1,
      date & 31,
      time >> 11,
      (time >> 5) & 63,
      (time & 31) * 2,
    );
    times.set(name, when.getTime());
  }
  return times;
}
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
    await workspaceOf('cy', { 'main.py': 'print("cy")\n' });
    // Bob's roster name is not a safe path; Cy's is the same as Bob's once made safe.
    const { classes } = server.tandem.ctx.storage;
    await classes.ensure('class1');
    await classes.upsertMember('class1', { userId: 'bob', name: 'Bob / Builder', role: 'student' });
    await classes.upsertMember('class1', { userId: 'cy', name: 'Bob : Builder', role: 'student' });

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
    expect(Object.keys(everything).sort()).toEqual([
      'Bob _ Builder (cy)/main.py',
      'Bob _ Builder/main.py',
      'ana/main.py',
      'ana/notes.md',
    ]);
    expect(text(everything['Bob _ Builder/main.py'])).toBe('print("bob")\n');
    expect(text(everything['Bob _ Builder (cy)/main.py'])).toBe('print("cy")\n');

    // Staff of another class may read neither its activity nor its workspaces.
    for (const path of ['ana/activity', 'ana/export', 'export']) {
      const res = await get(`/api/classes/class1/workspaces/${path}`, 'other', 'instructor', 'class2');
      expect(res.status).toBe(403);
    }
  });

  it("dates each exported file by its workspace's last edit", async () => {
    server = await startTestServerOn(engine);
    await workspaceOf('ana', { 'main.py': 'print("ana")\n' });
    for (const c of clients.splice(0)) c.destroy();
    server = await server.restart({ whileStopped: ageTheSpans });
    const lastEdit = (await server.tandem.ctx.storage.editSpans.lastEditAt('class1/ws/ana'))!;
    expect(Date.now() - lastEdit).toBeGreaterThan(TEN_DAYS_MS - 60_000);
    for (const path of ['ana/export', 'export']) {
      const res = await get(`/api/classes/class1/workspaces/${path}`, 'ins');
      // Zip times are local time in two-second steps.
      expect(
        Math.abs(unzipTimes(await res.arrayBuffer()).get('ana/main.py')! - lastEdit),
      ).toBeLessThanOrEqual(2000);
    }
  });

  it('refuses exports past their burst with 429', async () => {
    server = await startTestServerOn(engine);
    await workspaceOf('ana', { 'main.py': 'print("ana")\n' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await get('/api/classes/class1/workspaces/ana/export', 'ins');
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Per caller: another member of staff still may.
    expect((await get('/api/classes/class1/workspaces/export', 'ast', 'assistant')).status).toBe(200);
  });

  it('refuses an export larger than EXPORT_MAX_BYTES before sending any of it', async () => {
    server = await startTestServerOn(engine, { EXPORT_MAX_BYTES: '2048' });
    await workspaceOf('ana', { 'big.txt': 'x'.repeat(3000) });
    const res = await get('/api/classes/class1/workspaces/ana/export', 'ins');
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_large');
  });
});
