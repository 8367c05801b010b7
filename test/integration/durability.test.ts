// Durability for real: every update the server acknowledged survives `kill -9`, and a restart restores
// each document exactly (snapshot + log), including after compaction, on both engines (PostgreSQL in a
// schema of its own per test); then what only SQLite's update journal does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { STORAGE_ENGINES, type StorageEngine } from '../../server/src/storage/Storage.ts';
import { createTestSchema } from '../helpers/pg.ts';
import { TEST_SECRET } from '../helpers/server.ts';
import { type ServerProcess, startServerProcess } from '../helpers/serverProcess.ts';
import { waitFor } from '../helpers/waitFor.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  // Last in, first out: servers die before the schema they used is dropped.
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Settings that put a server on `engine`: nothing for SQLite, a fresh schema's URL for PostgreSQL. */
async function engineEnv(engine: StorageEngine): Promise<Record<string, string>> {
  if (engine === 'sqlite') return {};
  const schema = await createTestSchema();
  cleanup.push(() => schema.drop());
  return { DATABASE_URL: schema.schemaUrl };
}

function start(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess({
    DATA_DIR: dataDir,
    AUTH_SECRET: TEST_SECRET,
    SNAPSHOT_EVERY_UPDATES: '25',
    ...env,
  }).then((p) => {
    cleanup.push(() => p.child.kill('SIGKILL'));
    return p;
  });
}

function client(url: string, name: string, token: string) {
  const socket = new HocuspocusProviderWebsocket({
    url: `${url.replace('http', 'ws')}/collab`,
    maxAttempts: 1,
  });
  const doc = new Y.Doc();
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  provider.attach();
  cleanup.push(() => {
    provider.destroy();
    socket.destroy();
  });
  return { doc, provider };
}

/** A fresh data directory, a server on it and one synced student client typing `text`, acknowledged. */
async function oneAcknowledgedEdit(prefix: string, env: Record<string, string>, text: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const token = await mintToken(TEST_SECRET, { sub: 'ana', name: 'Ana', cls: 'c1', role: 'student' });
  const server = await start(dataDir, env);
  const c = client(server.url, 'c1/code/main', token);
  await waitFor(() => c.provider.isSynced);
  c.doc.getText('t').insert(0, text);
  await waitFor(() => c.provider.unsyncedChanges === 0);
  return { dataDir, token, server };
}

describe.each(STORAGE_ENGINES)('durability: %s', (engine) => {
  it('acknowledged updates survive kill -9 in the middle of typing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-kill-'));
    const token = await mintToken(TEST_SECRET, { sub: 'ana', name: 'Ana', cls: 'c1', role: 'student' });
    const env = await engineEnv(engine);
    const first = await start(dataDir, env);
    const a = client(first.url, 'c1/code/main', token);
    await waitFor(() => a.provider.isSynced);
    const text = a.doc.getText('t');
    const killAfter = 60 + Math.floor(Math.random() * 80);
    const acked: string[] = [];
    for (let i = 0; acked.length < killAfter; i++) {
      const word = `w${i};`;
      text.insert(text.length, word);
      if (acked.length === killAfter - 1) {
        // Kill while this last edit may still be in flight: it may or may not survive; the acked ones must.
        first.child.kill('SIGKILL');
        break;
      }
      await waitFor(() => a.provider.unsyncedChanges === 0, { timeoutMs: 5000 });
      acked.push(word);
    }
    await first.exited;

    const second = await start(dataDir, env);
    const b = client(second.url, 'c1/code/main', token);
    await waitFor(() => b.provider.isSynced);
    const restored = b.doc.getText('t').toString();
    expect(restored.startsWith(acked.join(''))).toBe(true);
  });

  it('a restart restores every document exactly, across snapshots and the log', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-restart-'));
    const token = await mintToken(TEST_SECRET, { sub: 'ins', name: 'Ins', cls: 'c1', role: 'instructor' });
    const names = ['c1/code/main', 'c1/board/main', 'c1/ws/ins'];
    const env = await engineEnv(engine);
    const first = await start(dataDir, env);
    const clients = names.map((n) => client(first.url, n, token));
    await waitFor(() => clients.every((c) => c.provider.isSynced));
    for (let i = 0; i < 70; i++) {
      for (const c of clients) {
        c.doc.getText('t').insert(i % 5, `${i}`);
        c.doc.getMap('m').set(`k${i % 7}`, i);
      }
    }
    clients[0]!.doc.getText('t').delete(0, 10);
    await waitFor(() => clients.every((c) => c.provider.unsyncedChanges === 0));
    const expected = clients.map((c) => Y.encodeStateAsUpdate(c.doc));
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start(dataDir, env);
    const again = names.map((n) => client(second.url, n, token));
    await waitFor(() => again.every((c) => c.provider.isSynced));
    again.forEach((c, i) => {
      const reference = new Y.Doc();
      Y.applyUpdate(reference, expected[i]!);
      expect(Y.encodeStateVector(c.doc)).toEqual(Y.encodeStateVector(reference));
      expect(c.doc.getText('t').toString()).toBe(reference.getText('t').toString());
      expect(c.doc.getMap('m').toJSON()).toEqual(reference.getMap('m').toJSON());
    });
  });
});

describe('durability: the SQLite update journal', () => {
  it('updates acknowledged but not yet folded into SQLite survive kill -9, with their authors', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-journal-'));
    const ana = await mintToken(TEST_SECRET, { sub: 'ana', name: 'Ana', cls: 'c1', role: 'student' });
    const bob = await mintToken(TEST_SECRET, { sub: 'bob', name: 'Bob', cls: 'c1', role: 'student' });
    // Folding never happens in this process's lifetime: every update lives only in the journal file.
    const first = await start(dataDir, { UPDATE_LOG_FOLD_MS: '3600000', SNAPSHOT_EVERY_UPDATES: '100000' });
    const a = client(first.url, 'c1/code/main', ana);
    const b = client(first.url, 'c1/code/main', bob);
    await waitFor(() => a.provider.isSynced && b.provider.isSynced);
    for (let i = 0; i < 20; i++) {
      const writer = i % 2 ? b : a;
      writer.doc.getText('t').insert(writer.doc.getText('t').length, `${i};`);
      await waitFor(() => writer.provider.unsyncedChanges === 0, { timeoutMs: 5000 });
    }
    // The last writer's change is acknowledged to it before (or as) it reaches the other: wait for both to
    // hold all twenty, the same.
    const text = (c: typeof a) => c.doc.getText('t').toString();
    await waitFor(() => text(a) === text(b) && text(a).split(';').length === 21);
    const expected = text(a);
    expect(fs.statSync(path.join(dataDir, 'tandem.db.updates')).size).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start(dataDir);
    const c = client(second.url, 'c1/code/main', ana);
    await waitFor(() => c.provider.isSynced);
    expect(c.doc.getText('t').toString()).toBe(expected);
    const res = await fetch(`${second.url}/api/documents/c1/code/main/history`, {
      headers: { authorization: `Bearer ${ana}` },
    });
    const { entries } = (await res.json()) as { entries: { seq: number; userId: string }[] };
    const authors = entries.map((e) => e.userId);
    expect(authors.filter((u) => u === 'ana')).toHaveLength(10);
    expect(authors.filter((u) => u === 'bob')).toHaveLength(10);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  });

  it('a torn record at the end of the journal is cut off; everything before it is restored', async () => {
    const {
      dataDir,
      token,
      server: first,
    } = await oneAcknowledgedEdit('tandem-torn-', { UPDATE_LOG_FOLD_MS: '3600000' }, 'kept');
    first.child.kill('SIGKILL');
    await first.exited;
    // What a write() cut short by the crash would leave: a record header promising more bytes than follow.
    fs.appendFileSync(path.join(dataDir, 'tandem.db.updates'), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 1, 0]));

    const second = await start(dataDir, { LOG_LEVEL: 'warn' });
    const b = client(second.url, 'c1/code/main', token);
    await waitFor(() => b.provider.isSynced);
    expect(b.doc.getText('t').toString()).toBe('kept');
    expect(second.output()).toContain('torn record');
  });

  it('SIGTERM flushes and exits 0', async () => {
    const { server } = await oneAcknowledgedEdit('tandem-term-', { LOG_LEVEL: 'info' }, 'bye');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('documents flushed');
  });
});
