// "Who wrote this" over REST on both engines: two people type lines of one file and each line names its
// writer and time; still so after the update log is pruned (entries aged past HISTORY_RETENTION_DAYS while
// the server was stopped, then compacted by the next snapshot); and the refusals.
import path from 'node:path';
import { createCodeFile, getCodeFile } from '@tandem/shared';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../../server/src/storage/pg/pool.ts';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import {
  type EngineTestServer,
  STORAGE_ENGINES,
  type StoppedData,
  startTestServerOn,
} from '../../helpers/engineServer.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const DOC = 'class1/code/main';
const TEN_DAYS_MS = 10 * 86_400_000;

let server: EngineTestServer;
const clients: CollabClient[] = [];

async function join(sub: string, role: 'student' | 'instructor' = 'student') {
  const client = connectCollab(server, DOC, await server.token({ sub, role }));
  clients.push(client);
  await client.synced();
  return client;
}

async function blame(
  sub: string,
  query = '?file=main',
  role: 'student' | 'instructor' | 'observer' = 'instructor',
  cls = 'class1',
) {
  const token = await server.token({ sub, role, cls });
  return fetch(`${server.httpUrl}/api/documents/${DOC}/blame${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

/** Moves every logged update ten days into the past (the server is stopped). */
async function ageTheLog({ dataDir, schema }: StoppedData): Promise<void> {
  if (!schema) {
    const db = new Database(path.join(dataDir, 'tandem.db'));
    db.prepare('UPDATE updates SET ts = ts - ?').run(TEN_DAYS_MS);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  try {
    await client.query(`UPDATE ${quoteIdent(schema.schema)}.updates SET ts = ts - $1`, [TEN_DAYS_MS]);
  } finally {
    await client.end();
  }
}

describe.each(STORAGE_ENGINES)('blame: %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  it('names the writer and time of each line, also after the update log is pruned', async () => {
    const started = Date.now();
    const ana = await join('ana');
    createCodeFile(ana.doc, { id: 'main', name: 'main.py', content: 'print("ana")\n', createdBy: 'ana' });
    await ana.saved();
    const bob = await join('bob');
    await waitFor(() => getCodeFile(bob.doc, 'main') !== null);
    const bobText = getCodeFile(bob.doc, 'main')!.text;
    bobText.insert(bobText.length, 'print("bob")\n');
    await bob.saved();
    await waitFor(() => getCodeFile(ana.doc, 'main')!.text.length === bobText.length);
    const anaText = getCodeFile(ana.doc, 'main')!.text;
    anaText.insert(anaText.length, 'x = 1');
    // Bob adds to the end of Ana's first line: the line becomes his.
    await ana.saved();
    await waitFor(() => bobText.length === anaText.length);
    bobText.insert(12, '  # checked');
    await bob.saved();

    const expectLines = async () => {
      const response = await blame('ins');
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        file: { id: string; name: string };
        lines: { line: number; userId: string | null; ts: number | null }[];
      };
      expect(body.file).toEqual({ id: 'main', name: 'main.py' });
      expect(body.lines.map((l) => [l.line, l.userId])).toEqual([
        [1, 'bob'],
        [2, 'bob'],
        [3, 'ana'],
      ]);
      for (const line of body.lines) {
        expect(line.ts).toBeGreaterThanOrEqual(started - 1000);
        expect(line.ts).toBeLessThanOrEqual(Date.now());
      }
      return body;
    };
    const before = await expectLines();

    for (const c of clients.splice(0)) c.destroy();
    server = await server.restart({
      env: { HISTORY_RETENTION_DAYS: '1', SNAPSHOT_EVERY_UPDATES: '1' },
      whileStopped: ageTheLog,
    });
    // The next update is snapshotted at once, and the aged entries it covers are pruned.
    const ins = await join('ins', 'instructor');
    ins.doc.getText('scratch').insert(0, 'prune now');
    await ins.saved();
    const history = async () => {
      const token = await server.token({ sub: 'ins', role: 'instructor' });
      const res = await fetch(`${server.httpUrl}/api/documents/${DOC}/history`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return (await res.json()) as { entries: { userId: string | null }[] };
    };
    await waitFor(
      async () => !(await history()).entries.some((e) => e.userId === 'ana' || e.userId === 'bob'),
      {
        message: "Ana's and Bob's updates pruned from the log",
      },
    );

    const after = await expectLines();
    expect(after.lines).toEqual(before.lines);
  });

  it('names the person who restored a version for the text the restore wrote', async () => {
    const ana = await join('ana');
    createCodeFile(ana.doc, { id: 'main', name: 'main.py', content: 'first = 1\n', createdBy: 'ana' });
    await ana.saved();
    const headers = async (sub: string) => ({
      authorization: `Bearer ${await server.token({ sub, role: 'instructor' })}`,
      'content-type': 'application/json',
    });
    const base = `${server.httpUrl}/api/documents/${DOC}/versions`;
    const created = await fetch(base, {
      method: 'POST',
      headers: await headers('ins'),
      body: JSON.stringify({ label: 'v1' }),
    });
    const { version } = (await created.json()) as { version: { id: number } };
    const text = getCodeFile(ana.doc, 'main')!.text;
    for (const restorer of ['ins', 'ast']) {
      text.delete(0, text.length);
      text.insert(0, 'second = 2\n');
      await ana.saved();
      const restored = await fetch(`${base}/${version.id}/restore`, {
        method: 'POST',
        headers: await headers(restorer),
      });
      expect(restored.status).toBe(200);
      await waitFor(() => text.toString() === 'first = 1\n');
      const lines = ((await (await blame('ins')).json()) as { lines: { userId: string | null }[] }).lines;
      expect(lines[0]!.userId).toBe(restorer);
    }
  });

  it('refuses without a token, across classes, without read access, and bad or unknown files', async () => {
    const ana = await join('ana');
    createCodeFile(ana.doc, { id: 'main', name: 'main.py', content: 'a\n', createdBy: 'ana' });
    await ana.saved();

    expect((await fetch(`${server.httpUrl}/api/documents/${DOC}/blame?file=main`)).status).toBe(401);
    expect((await blame('ana', '?file=main', 'student', 'class2')).status).toBe(403);
    expect((await blame('ana', '?file=nope')).status).toBe(404);
    expect((await blame('ana', '')).status).toBe(400);
    expect((await blame('ana', `?file=${'x'.repeat(101)}`)).status).toBe(400);
    // An observer reads the class code, so may see who wrote it.
    expect((await blame('obs', '?file=main', 'observer')).status).toBe(200);

    const token = await server.token({ sub: 'bob', role: 'student' });
    const other = await fetch(`${server.httpUrl}/api/documents/class1/ws/ana/blame?file=main`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(403);
    const board = await fetch(`${server.httpUrl}/api/documents/class1/board/main/blame?file=main`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(board.status).toBe(400);
  });

  it('rate-limits a caller', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await blame('ins', '?file=none')).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 404).length).toBeGreaterThan(0);
  });
});
