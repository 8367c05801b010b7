// Pins every reach into Hocuspocus's and ws's internals (server/src/collab/libraryInternals.ts) to the installed
// versions: an upgrade that moves one of them fails here, naming which, instead of silently changing behaviour.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection, Document, Hocuspocus, MessageReceiver } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import {
  documentUpdateCallback,
  flattenSocketId,
  installedVersion,
  interceptFullSyncs,
  isConnectionIdle,
  markMessageReceived,
  PINNED_VERSIONS,
  wsBinaryFrame,
} from '../../../server/src/collab/libraryInternals.ts';

// Read from node_modules directly: @hocuspocus/server does not export its package.json.
const installed = (name: string) =>
  (JSON.parse(readFileSync(path.join('node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

function connectionOn(document: Document): Connection {
  const socket = { readyState: 1, send: () => undefined, close: () => undefined };
  return new Connection(socket as never, { url: '/', headers: new Headers() } as Request, document, 's1', {});
}

describe('library internals', () => {
  it.each(Object.entries(PINNED_VERSIONS))(
    '%s is the version the internals were written for',
    (name, version) => {
      expect(
        installed(name),
        `${name} changed: re-check every function in server/src/collab/libraryInternals.ts, then update PINNED_VERSIONS`,
      ).toBe(version);
    },
  );

  it('installedVersion reads what is installed, as the startup check of interceptFullSyncs does', () => {
    expect(installedVersion('@hocuspocus/server')).toBe(installed('@hocuspocus/server'));
  });

  it('Hocuspocus MessageReceiver reads sync messages in readSyncMessage(message, document, connection, reply)', () => {
    // interceptFullSyncs (shared full-state joins) wraps it, and throws at startup when it is gone.
    const proto = MessageReceiver.prototype as unknown as { readSyncMessage?: { length: number } };
    expect(typeof proto.readSyncMessage, 'MessageReceiver.prototype.readSyncMessage is gone').toBe(
      'function',
    );
    const uninstall = interceptFullSyncs({ owns: () => false, answer: () => undefined });
    uninstall();
  });

  it('Hocuspocus Connection keeps its in-progress messages in an array named messageQueue', () => {
    const connection = connectionOn(new Document('d'));
    expect(isConnectionIdle(connection), 'Connection.messageQueue is gone or not an array').toBe(true);
    (connection as unknown as { messageQueue: Uint8Array[] }).messageQueue.push(new Uint8Array(1));
    expect(isConnectionIdle(connection)).toBe(false);
  });

  it('Hocuspocus ClientConnection has a lastMessageReceivedAt timestamp', async () => {
    const hocuspocus = new Hocuspocus({ quiet: true });
    const socket = { readyState: 1, send: () => undefined, close: () => undefined, on: () => undefined };
    const client = hocuspocus.handleConnection(
      socket as never,
      { url: '/', headers: new Headers() } as Request,
    );
    expect(typeof client.lastMessageReceivedAt, 'ClientConnection.lastMessageReceivedAt is gone').toBe(
      'number',
    );
    client.lastMessageReceivedAt = 0;
    markMessageReceived(client);
    expect(Date.now() - client.lastMessageReceivedAt).toBeLessThan(1000);
    client.handleClose();
  });

  it('Hocuspocus ClientConnection names itself with a string socketId that flattenSocketId keeps as it was', () => {
    const hocuspocus = new Hocuspocus({ quiet: true });
    const socket = { readyState: 1, send: () => undefined, close: () => undefined, on: () => undefined };
    const client = hocuspocus.handleConnection(
      socket as never,
      { url: '/', headers: new Headers() } as Request,
    );
    const named = client as unknown as { socketId?: unknown };
    expect(typeof named.socketId, 'ClientConnection.socketId is gone or not a string').toBe('string');
    const before = named.socketId as string;
    expect(before).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    flattenSocketId(client);
    expect(named.socketId).toBe(before);
    client.handleClose();
  });

  it('Hocuspocus Document routes every update through callbacks.onUpdate', () => {
    const document = new Document('d');
    const seen: Uint8Array[] = [];
    document.onUpdate((_doc, _origin, update) => seen.push(update));
    expect(typeof documentUpdateCallback(document), 'Document.callbacks.onUpdate is gone').toBe('function');
    document.getText('t').insert(0, 'x');
    expect(seen).toHaveLength(1);
  });

  it('ws exports Sender.frame, building the same bytes as a framed binary message', () => {
    const payload = Buffer.from([1, 2, 3]);
    const frame = Buffer.concat(wsBinaryFrame(payload));
    // FIN + binary opcode, unmasked 3-byte length, then the payload.
    expect([...frame]).toEqual([0x82, 3, 1, 2, 3]);
  });
});
