import { Connection, Document, Hocuspocus, OutgoingMessage } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyDirect, matchDirect } from '../../server/src/collab/directUpdates.ts';
import { runsHook } from '../../server/src/collab/extensionHooks.ts';
import { SocketRoutes } from '../../server/src/collab/socketRoutes.ts';

const NAME = 'class1/code/main';
/** A gate that admits every update (the gate itself is tested in updateGate.test.ts). */
const ADMIT_ALL = { admit: () => null };
const documents: Document[] = [];
afterEach(() => {
  for (const d of documents.splice(0)) d.destroy();
});

/** A real Hocuspocus connection on a fake socket that records what it is sent. */
function connect(readOnly = false) {
  const document = new Document(NAME);
  documents.push(document);
  const sent: Uint8Array[] = [];
  const socket = { readyState: 1, send: (m: Uint8Array) => sent.push(m), close() {} };
  const request = { url: '/collab', headers: new Headers() } as unknown as Request;
  const connection = new Connection(socket, request, document, 'socket-1', {}, readOnly);
  return { document, connection, sent };
}

/** A socket's routes with `connection`'s updates sent the direct path, through `gate`, from `userId`. */
function directRoutes(
  connection: Connection,
  gate: { admit: (update: Uint8Array, user: string) => unknown } = ADMIT_ALL,
  userId = 'ana',
) {
  const routes = new SocketRoutes(true);
  const route = routes.add(connection as Connection<never>);
  route.gate = gate as NonNullable<typeof route.gate>;
  route.userId = userId;
  return { match: (f: Uint8Array) => matchDirect(f, routes.match(f)) };
}

function frame(address: string, type: number, syncType: number, payload: Uint8Array, trailer = 0) {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint(e, syncType);
  encoding.writeVarUint8Array(e, payload);
  for (let i = 0; i < trailer; i++) encoding.writeUint8(e, 0);
  return encoding.toUint8Array(e);
}

function anUpdate(text = 'hi') {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('direct updates', () => {
  it('applies a routed sync update with the connection as origin and sends the sync acknowledgement', () => {
    const { document, connection, sent } = connect();
    const routes = directRoutes(connection);
    const origins: unknown[] = [];
    document.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));

    const match = routes.match(frame(NAME, 0, 2, anUpdate()));
    expect(match).toBeDefined();
    expect(applyDirect(match!)).toEqual({ kind: 'applied' });

    expect(document.getText('t').toString()).toBe('hi');
    expect(origins).toEqual([{ source: 'connection', connection }]);
    expect(sent.at(-1)).toEqual(new OutgoingMessage(NAME).writeSyncStatus(true).toUint8Array());
  });

  it('a fresh Hocuspocus connection counts as idle (the private queue it reads is still there)', () => {
    const { connection } = connect();
    const routes = directRoutes(connection);
    expect(routes.match(frame(NAME, 0, 2, anUpdate()))).toBeDefined();
  });

  it('leaves every other frame to Hocuspocus', () => {
    const { connection } = connect();
    const routes = directRoutes(connection);
    const update = anUpdate();
    expect(routes.match(frame('class1/code/other', 0, 2, update))).toBeUndefined();
    expect(routes.match(frame(NAME, 0, 1, update))).toBeUndefined(); // sync step 2
    expect(routes.match(frame(NAME, 0, 0, Y.encodeStateVector(new Y.Doc())))).toBeUndefined();
    expect(routes.match(frame(NAME, 4, 2, update))).toBeUndefined(); // SyncReply
    expect(routes.match(frame(NAME, 0, 2, update, 3))).toBeUndefined(); // trailing bytes
    const cut = frame(NAME, 0, 2, update);
    expect(routes.match(cut.subarray(0, cut.length - 2))).toBeUndefined(); // cut short
  });

  it('leaves updates of read-only connections, and of connections with messages in progress, to Hocuspocus', () => {
    const readOnly = connect(true);
    const routes = directRoutes(readOnly.connection);
    expect(routes.match(frame(NAME, 0, 2, anUpdate()))).toBeUndefined();

    const busy = connect();
    const busyRoutes = directRoutes(busy.connection);
    (busy.connection as unknown as { messageQueue: Uint8Array[] }).messageQueue.push(new Uint8Array(1));
    expect(busyRoutes.match(frame(NAME, 0, 2, anUpdate()))).toBeUndefined();

    // A lock taking write access away mid-connection applies from the next frame on.
    const live = connect();
    const liveRoutes = directRoutes(live.connection);
    live.connection.readOnly = true;
    expect(liveRoutes.match(frame(NAME, 0, 2, anUpdate()))).toBeUndefined();
  });

  it('drops the route when the connection closes', () => {
    const { connection } = connect();
    const routes = directRoutes(connection);
    connection.close();
    expect(routes.match(frame(NAME, 0, 2, anUpdate()))).toBeUndefined();
  });

  it('a refused update is neither applied nor acknowledged', () => {
    const { document, connection, sent } = connect();
    const refusal = { code: 'foreign_client', reason: 'not yours' } as const;
    const users: string[] = [];
    const admit = (_update: Uint8Array, user: string) => {
      users.push(user);
      return refusal;
    };
    const routes = directRoutes(connection, { admit });
    const before = sent.length;
    expect(applyDirect(routes.match(frame(NAME, 0, 2, anUpdate()))!)).toEqual({ kind: 'refused', refusal });
    expect(users).toEqual(['ana']);
    expect(document.getText('t').toString()).toBe('');
    expect(sent.length).toBe(before);
  });

  it('reports an update Yjs cannot read, changing and acknowledging nothing', () => {
    const { document, connection, sent } = connect();
    const routes = directRoutes(connection);
    const before = sent.length;
    const match = routes.match(frame(NAME, 0, 2, new Uint8Array([1, 200, 3, 7, 7, 7, 7, 250, 250])));
    expect(match).toBeDefined();
    expect(applyDirect(match!)).toEqual({ kind: 'malformed' });
    expect(Y.encodeStateVector(document)).toEqual(Y.encodeStateVector(new Y.Doc()));
    expect(sent.length).toBe(before);
  });
});

describe('SocketRoutes', () => {
  function connectionTo(name: string) {
    const document = new Document(name);
    documents.push(document);
    const socket = { readyState: 1, send() {}, close() {} };
    const request = { url: '/collab', headers: new Headers() } as unknown as Request;
    return new Connection(socket, request, document, 'socket-1', {}, false) as Connection<never>;
  }

  it('matches each frame to the connection of its address, never to one whose address it only starts with', () => {
    const routes = new SocketRoutes(true);
    const short = routes.add(connectionTo('class1/code/a'));
    const long = routes.add(connectionTo('class1/code/ab'));
    expect(routes.add(short.connection)).toBe(short);
    const update = anUpdate();
    expect(routes.match(frame('class1/code/a', 0, 2, update))).toBe(short);
    expect(routes.match(frame('class1/code/ab', 0, 2, update))).toBe(long);
    expect(routes.match(frame('class1/code/abc', 0, 2, update))).toBeUndefined();
    expect(short.typeOf(frame('class1/code/a', 1, 0, update))).toBe(1);
    expect(short.typeOf(frame('class1/code/ab', 1, 0, update))).toBe(-1);
  });

  it('leaves the updates of a route that is not sent the direct path to Hocuspocus', () => {
    const routes = new SocketRoutes(true);
    routes.add(connectionTo(NAME));
    const f = frame(NAME, 0, 2, anUpdate());
    expect(routes.match(f)).toBeDefined();
    expect(matchDirect(f, routes.match(f))).toBeUndefined();
  });

  it('drops a route when its connection closes and tells the listener once', () => {
    const closed: string[] = [];
    const routes = new SocketRoutes(true, { routeClosed: (route) => closed.push(route.address) });
    const kept = routes.add(connectionTo('class1/code/kept'));
    const gone = routes.add(connectionTo(NAME));
    gone.connection.close();
    expect(closed).toEqual([NAME]);
    expect(routes.get(gone.connection)).toBeUndefined();
    expect(routes.match(frame(NAME, 0, 2, anUpdate()))).toBeUndefined();
    expect(routes.match(frame('class1/code/kept', 0, 2, anUpdate()))).toBe(kept);
  });
});

describe('runsHook', () => {
  it("ignores Hocuspocus's default configuration hooks and sees an extension's", () => {
    const hooks = ['beforeHandleMessage', 'beforeSync', 'afterHandleMessage'] as const;
    const instance = new Hocuspocus({ quiet: true, extensions: [{ async onChange() {} }] });
    expect(runsHook(instance, hooks)).toBe(false);
    expect(runsHook(instance, ['onChange'])).toBe(true);
    const gate = { async beforeSync() {} };
    const withGate = new Hocuspocus({ quiet: true, extensions: [gate] });
    expect(runsHook(withGate, hooks)).toBe(true);
    expect(runsHook(withGate, hooks, (extension) => extension === gate)).toBe(false);
    for (const hook of hooks) {
      const withHook = new Hocuspocus({ quiet: true, extensions: [{ [hook]: async () => {} }] });
      expect(runsHook(withHook, hooks)).toBe(true);
    }
  });
});
