// Pins every reach into @hocuspocus/provider's internals (client/src/collab/libraryInternals.ts) to the installed
// version: an upgrade that moves one of them fails here, naming which, instead of bringing back the reconnect
// loop or the doubled sends they prevent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  coalesceQueuedUpdates,
  dropQueuedMessages,
  gateDocumentUpdates,
  PINNED_PROVIDER_VERSION,
} from '../../../client/src/collab/libraryInternals.ts';

// Read from node_modules directly: @hocuspocus/provider does not export its package.json.
const installed = () =>
  (
    JSON.parse(readFileSync(path.join('node_modules', '@hocuspocus/provider', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A socket that never connects: everything sent on it waits in its queue. */
function offlineSocket(): HocuspocusProviderWebsocket {
  const socket = new HocuspocusProviderWebsocket({ url: 'ws://127.0.0.1:9', autoConnect: false });
  cleanups.push(() => socket.destroy());
  return socket;
}

function attached(socket: HocuspocusProviderWebsocket, name: string): HocuspocusProvider {
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    token: 't',
    document: new Y.Doc(),
  });
  provider.attach();
  cleanups.push(() => provider.destroy());
  return provider;
}

const queued = (socket: HocuspocusProviderWebsocket) =>
  ((socket as unknown as { messageQueue: Uint8Array[] }).messageQueue ?? []).map((m) => {
    const d = decoding.createDecoder(m);
    return { address: decoding.readVarString(d), type: decoding.readVarUint(d) };
  });

describe('provider internals', () => {
  it('@hocuspocus/provider is the version the internals were written for', () => {
    expect(
      installed(),
      '@hocuspocus/provider changed: re-check every function in client/src/collab/libraryInternals.ts, then update PINNED_PROVIDER_VERSION',
    ).toBe(PINNED_PROVIDER_VERSION);
  });

  it('HocuspocusProviderWebsocket queues what is sent while disconnected in messageQueue, which dropQueuedMessages filters by document', () => {
    const socket = offlineSocket();
    const a = attached(socket, 'class1/code/main');
    attached(socket, 'class1/board/main');
    a.document.getText('t').insert(0, 'offline');
    expect(
      queued(socket).some((m) => m.address === 'class1/code/main' && m.type === 0),
      'HocuspocusProviderWebsocket.messageQueue is gone or holds something else',
    ).toBe(true);
    // Detaching while disconnected queues a close for the document (MessageType.CLOSE, 7): it must go too.
    a.detach();
    expect(queued(socket)).toContainEqual({ address: 'class1/code/main', type: 7 });
    const before = queued(socket).length;

    const dropped = dropQueuedMessages(socket, 'class1/code/main');
    expect(dropped).toBeGreaterThanOrEqual(2);
    expect(queued(socket)).toHaveLength(before - dropped);
    expect(queued(socket).every((m) => m.address === 'class1/board/main')).toBe(true);
  });

  it('HocuspocusProvider handles document updates with boundDocumentUpdateHandler, which gateDocumentUpdates gates', () => {
    const socket = offlineSocket();
    const provider = attached(socket, 'class1/code/main');
    let admit = false;
    const ungate = gateDocumentUpdates(provider, () => admit);
    const updatesQueued = () => queued(socket).filter((m) => m.type === 0).length;
    const before = updatesQueued();

    provider.document.getText('t').insert(0, 'held back');
    expect(updatesQueued(), 'the provider still handles updates on its own listener').toBe(before);
    expect(provider.unsyncedChanges).toBe(0);

    admit = true;
    provider.document.getText('t').insert(0, 'sent ');
    expect(updatesQueued()).toBe(before + 1);
    expect(provider.unsyncedChanges).toBe(1);

    ungate();
    provider.document.getText('t').insert(0, 'after ');
    expect(updatesQueued()).toBe(before + 1);
  });
});

describe('coalesceQueuedUpdates', () => {
  it('merges the updates queued offline into a few messages under the size given, keeping other messages in order', () => {
    const socket = offlineSocket();
    const code = attached(socket, 'class1/code/main');
    const board = attached(socket, 'class1/board/main');
    const text = code.document.getText('t');
    for (let i = 0; i < 600; i++) text.insert(text.length, 'k');
    board.document.getText('b').insert(0, 'board');
    const updatesOf = (address: string) =>
      queued(socket).filter((m) => m.address === address && m.type === 0).length;
    expect(updatesOf('class1/code/main')).toBeGreaterThanOrEqual(600);
    const boardBefore = queued(socket).filter((m) => m.address === 'class1/board/main');

    const removed = coalesceQueuedUpdates(socket, 'class1/code/main', 1000);
    expect(removed).toBeGreaterThan(580);
    // The queue now ends with the sync messages the provider queued on attach and a handful of merged updates.
    expect(updatesOf('class1/code/main')).toBeLessThan(20);
    expect(queued(socket).filter((m) => m.address === 'class1/board/main')).toEqual(boardBefore);

    // What the merged messages carry is everything that was typed.
    const replay = new Y.Doc();
    for (const message of (socket as unknown as { messageQueue: Uint8Array[] }).messageQueue) {
      const d = decoding.createDecoder(message);
      if (decoding.readVarString(d) !== 'class1/code/main' || decoding.readVarUint(d) !== 0) continue;
      if (decoding.readVarUint(d) !== 2) continue;
      Y.applyUpdate(replay, decoding.readVarUint8Array(d));
    }
    expect(replay.getText('t').toString()).toBe('k'.repeat(600));
  });
});
