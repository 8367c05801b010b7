// Durability for real: every update the server acknowledged survives `kill -9`, and a restart restores
// each document exactly (snapshot + log), including after compaction.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { TEST_SECRET } from '../helpers/server.ts';
import { type ServerProcess, startServerProcess } from '../helpers/serverProcess.ts';
import { waitFor } from '../helpers/waitFor.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

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

describe('durability', () => {
  it('acknowledged updates survive kill -9 in the middle of typing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-kill-'));
    const token = await mintToken(TEST_SECRET, { sub: 'ana', name: 'Ana', cls: 'c1', role: 'student' });
    const first = await start(dataDir);
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

    const second = await start(dataDir);
    const b = client(second.url, 'c1/code/main', token);
    await waitFor(() => b.provider.isSynced);
    const restored = b.doc.getText('t').toString();
    expect(restored.startsWith(acked.join(''))).toBe(true);
  });

  it('a restart restores every document exactly, across snapshots and the log', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-restart-'));
    const token = await mintToken(TEST_SECRET, { sub: 'ins', name: 'Ins', cls: 'c1', role: 'instructor' });
    const names = ['c1/code/main', 'c1/board/main', 'c1/ws/ins'];
    const first = await start(dataDir);
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

    const second = await start(dataDir);
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

  it('SIGTERM flushes and exits 0', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-term-'));
    const token = await mintToken(TEST_SECRET, { sub: 'ins', name: 'Ins', cls: 'c1', role: 'instructor' });
    const first = await start(dataDir, { LOG_LEVEL: 'info' });
    const c = client(first.url, 'c1/code/main', token);
    await waitFor(() => c.provider.isSynced);
    c.doc.getText('t').insert(0, 'bye');
    await waitFor(() => c.provider.unsyncedChanges === 0);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('documents flushed');
  });
});
