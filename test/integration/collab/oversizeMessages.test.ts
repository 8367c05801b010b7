// Updates over MAX_MESSAGE_BYTES (issue #10): refused as data (`updateRefused` with `message_too_large`, the
// document's connection closed with 4422), not by closing the socket, on an established document and on one
// still authenticating; nothing of them is applied; other documents on the socket and other clients go on. Only
// frames over the cap, messages that large that carry no update, and sockets that authenticated nothing get 1009.
import { CLOSE_CODES, type CollabNotice, decodeCollabNotice } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { frameCapBytes } from '../../../server/src/config.ts';
import { type CollabClient, clientTracker, connectCollab, connectYjs } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const MAX_MESSAGE_BYTES = 4096;
const DOC = 'class1/code/main';
const BOARD = 'class1/board/main';
const T = { Sync: 0, Auth: 2, Stateless: 5, Close: 7 } as const;
const SYNC = { step2: 1, update: 2 } as const;

let server: TestServer;
const { track, destroyAll } = clientTracker();

beforeEach(async () => {
  server = await startTestServer({ MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) });
});
afterEach(async () => {
  destroyAll();
  await server.stop();
});

function frame(address: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  write(e);
  return encoding.toUint8Array(e);
}
const syncFrame = (address: string, syncType: number, update: Uint8Array) =>
  frame(address, (e) => {
    encoding.writeVarUint(e, T.Sync);
    encoding.writeVarUint(e, syncType);
    encoding.writeVarUint8Array(e, update);
  });
const authFrame = (address: string, token: string) =>
  frame(address, (e) => {
    encoding.writeVarUint(e, T.Auth);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, token);
  });

/** An update inserting `chars` characters into `doc` (its own content, so valid in every other respect). */
function insertUpdate(doc: Y.Doc, chars: number, name = 't'): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getText(name).insert(0, 'x'.repeat(chars));
  return Y.encodeStateAsUpdate(doc, before);
}

interface Received {
  address: string;
  type: number;
  authenticated?: boolean;
  notice?: CollabNotice | null;
}

/** A raw /collab socket: what the server sends, decoded just enough for these tests. */
async function rawSocket() {
  const ws = new WebSocket(`${server.wsUrl}/collab`);
  const received: Received[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    const address = decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    const message: Received = { address, type };
    if (type === T.Auth) message.authenticated = decoding.readVarUint(d) === 2;
    if (type === T.Stateless) message.notice = decodeCollabNotice(decoding.readVarString(d));
    received.push(message);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const notices = (address: string) =>
    received.filter((m) => m.address === address && m.notice).map((m) => m.notice!);
  return {
    ws,
    received,
    closed,
    notices,
    refusals: (address: string) => notices(address).filter((n) => n.type === 'updateRefused'),
    /** Authenticates `address` (again, after a refusal) and waits for the server's answer. */
    async authenticate(address: string, sub = 'ana') {
      const answered = () => received.filter((m) => m.address === address && m.authenticated).length;
      const before = answered();
      ws.send(authFrame(address, await server.token({ sub, role: 'student' })));
      await waitFor(() => answered() > before, { message: `${address} authenticated` });
    },
  };
}

async function join(name: string, sub: string): Promise<CollabClient> {
  const client = track(connectCollab(server, name, await server.token({ sub, role: 'instructor' })));
  await client.synced();
  return client;
}

/** Refused updates counted by the server: `message_too_large` ones, or all codes. */
const refusedCount = async (code: string | null = 'message_too_large') => {
  const metric = await server.tandem.ctx.metrics.updatesRefused.get();
  return metric.values.reduce((n, v) => (code === null || v.labels.code === code ? n + v.value : n), 0);
};
const serverText = (name: string) =>
  server.tandem.ctx.collab.read(name, (doc) => doc.getText('t').toString());

describe('an update over MAX_MESSAGE_BYTES', () => {
  it('is refused with message_too_large on an established document; the socket and its other documents go on', async () => {
    const bystander = await join(DOC, 'ins');
    bystander.doc.getText('t').insert(0, 'kept');
    await bystander.saved();

    const raw = await rawSocket();
    await raw.authenticate(DOC);
    await raw.authenticate(BOARD);
    await waitFor(() => raw.notices(DOC).some((n) => n.type === 'limits'), { message: 'limit told' });
    expect(raw.notices(DOC)).toContainEqual({ type: 'limits', maxMessageBytes: MAX_MESSAGE_BYTES });

    const mine = new Y.Doc();
    raw.ws.send(syncFrame(DOC, SYNC.update, insertUpdate(mine, MAX_MESSAGE_BYTES + 500)));
    await waitFor(() => raw.refusals(DOC).length === 1, { message: 'refused' });
    expect(raw.refusals(DOC)[0]).toMatchObject({
      code: 'message_too_large',
      reason: expect.stringMatching(/at most 4096 bytes; paste or change less at a time/),
    });
    await waitFor(() => raw.received.some((m) => m.address === DOC && m.type === T.Close), {
      message: 'document connection closed',
    });
    expect(await refusedCount()).toBe(1);
    expect(await serverText(DOC)).toBe('kept');

    // A sync step 2 that large too (what a reconnecting client sends with its offline edits).
    await raw.authenticate(DOC);
    raw.ws.send(syncFrame(DOC, SYNC.step2, insertUpdate(new Y.Doc(), MAX_MESSAGE_BYTES + 500)));
    await waitFor(() => raw.refusals(DOC).length === 2, { message: 'step 2 refused' });
    expect(await refusedCount()).toBe(2);

    // The socket stayed open: its other document still takes an update under the limit.
    const board = new Y.Doc();
    raw.ws.send(syncFrame(BOARD, SYNC.update, insertUpdate(board, 100)));
    await waitFor(async () => (await serverText(BOARD)).length === 100, { message: 'board update applied' });
    expect(raw.ws.readyState).toBe(WebSocket.OPEN);
    bystander.doc.getText('t').insert(4, '!');
    await bystander.saved();
    expect(await serverText(DOC)).toBe('kept!');
    raw.ws.close();
  });

  it('is refused in the message order of a document still being authenticated, and what follows it is dropped', async () => {
    const raw = await rawSocket();
    await raw.authenticate(BOARD);
    // Sent without waiting: the big update waits (as a stand-in) with the document's other queued messages.
    raw.ws.send(authFrame(DOC, await server.token({ sub: 'ana', role: 'student' })));
    const mine = new Y.Doc();
    raw.ws.send(syncFrame(DOC, SYNC.update, insertUpdate(mine, 10)));
    raw.ws.send(syncFrame(DOC, SYNC.update, insertUpdate(mine, MAX_MESSAGE_BYTES + 500)));
    raw.ws.send(syncFrame(DOC, SYNC.update, insertUpdate(mine, 20)));
    await waitFor(() => raw.refusals(DOC).length === 1, { message: 'refused once established' });
    expect(raw.refusals(DOC)[0]!.code).toBe('message_too_large');
    // Answered in order, so everything sent before it has been handled by then.
    await raw.authenticate(DOC);
    // The update before the big one was applied; the one after it was dropped, not even checked (it builds on
    // the refused content, which would have been a second refusal, missing_structs).
    expect((await serverText(DOC)).length).toBe(10);
    expect(await refusedCount(null)).toBe(1);
    expect(raw.ws.readyState).toBe(WebSocket.OPEN);
    raw.ws.close();
  });

  it('closes the socket with 1009 over the frame cap, for a message that large that is no update, and before any authentication', async () => {
    const cap = frameCapBytes(MAX_MESSAGE_BYTES);
    const overCap = await rawSocket();
    await overCap.authenticate(DOC);
    overCap.ws.send(syncFrame(DOC, SYNC.update, insertUpdate(new Y.Doc(), cap + 10)));
    expect((await overCap.closed).code).toBe(CLOSE_CODES.tooLarge);

    const notAnUpdate = await rawSocket();
    await notAnUpdate.authenticate(DOC);
    notAnUpdate.ws.send(
      frame(DOC, (e) => {
        encoding.writeVarUint(e, T.Stateless);
        encoding.writeVarString(e, 'x'.repeat(MAX_MESSAGE_BYTES + 10));
      }),
    );
    expect(await notAnUpdate.closed).toEqual({
      code: CLOSE_CODES.tooLarge,
      reason: `messages are limited to ${MAX_MESSAGE_BYTES} bytes`,
    });

    const stranger = await rawSocket();
    stranger.ws.send(syncFrame(DOC, SYNC.update, insertUpdate(new Y.Doc(), MAX_MESSAGE_BYTES + 10)));
    expect((await stranger.closed).code).toBe(CLOSE_CODES.tooLarge);
    expect(await refusedCount()).toBe(0);
  });

  it('cannot be forged: an empty update (the stand-in) from a client is malformed, 4400; bad addresses stay refused', async () => {
    const raw = await rawSocket();
    await raw.authenticate(DOC);
    raw.ws.send(syncFrame(DOC, SYNC.update, new Uint8Array(0)));
    expect((await raw.closed).code).toBe(CLOSE_CODES.badRequest);

    const beforeAuth = await rawSocket();
    await beforeAuth.authenticate(BOARD);
    beforeAuth.ws.send(syncFrame(DOC, SYNC.step2, new Uint8Array(0)));
    expect((await beforeAuth.closed).code).toBe(CLOSE_CODES.badRequest);

    // Nor does an oversize update get past the address check the stand-in skips the rest of the path for.
    const prototypeName = await rawSocket();
    await prototypeName.authenticate(BOARD);
    prototypeName.ws.send(syncFrame('__proto__', SYNC.update, insertUpdate(new Y.Doc(), MAX_MESSAGE_BYTES)));
    expect((await prototypeName.closed).code).toBe(CLOSE_CODES.badRequest);
    expect(await refusedCount()).toBe(0);
  });

  it('on the /yjs bridge closes the socket with 4422 and the refusal as its reason', async () => {
    const yws = track(connectYjs(server, DOC, await server.token({ sub: 'ana', role: 'student' })));
    await waitFor(() => yws.provider.synced, { message: 'bridge synced' });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, T.Sync);
    encoding.writeVarUint(e, SYNC.update);
    encoding.writeVarUint8Array(e, insertUpdate(new Y.Doc(), MAX_MESSAGE_BYTES + 500));
    yws.provider.ws!.send(encoding.toUint8Array(e));
    await waitFor(() => yws.closes.length > 0, { message: 'bridge closed' });
    expect(yws.closes[0]!.code).toBe(CLOSE_CODES.updateRefused);
    expect(yws.closes[0]!.reason).toMatch(/^message_too_large: /);
    expect(await refusedCount()).toBe(1);
  });
});
