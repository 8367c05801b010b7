// A client whose sent change was lost with the server before it became durable (a node that died, a restart):
// its next updates start after a gap. Those sent before its Auth (the offline queue) are dropped unread
// (server/src/collab/preAuthUpdates.ts); those sent while its handshake is in flight wait for its SyncStep2
// (handshakeUpdates.ts). Either way the SyncStep2 merges everything the server lacks, instead of a
// `missing_structs` refusal sending the person's work to "Recovered edits".
import { decodeCollabNotice } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { clientTracker, connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const DOC = 'class1/code/main';
const T = { Sync: 0, Auth: 2, Stateless: 5 } as const;
const SYNC = { step1: 0, step2: 1, update: 2 } as const;

let server: TestServer;
const { track, destroyAll } = clientTracker();

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  destroyAll();
  await server.stop();
});

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, DOC);
  write(e);
  return encoding.toUint8Array(e);
}
const sync = (syncType: number, payload: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, T.Sync);
    encoding.writeVarUint(e, syncType);
    encoding.writeVarUint8Array(e, payload);
  });

const beforeAuthCount = async () =>
  (await server.tandem.ctx.metrics.updatesBeforeAuth.get()).values[0]?.value ?? 0;
const serverText = () => server.tandem.ctx.collab.read(DOC, (doc) => doc.getText('t').toString());

/** A client whose last sent change never became durable, with one more made after it (starting after a gap). */
async function clientWithGap() {
  const token = await server.token({ sub: 'vic', role: 'student' });
  const doc = new Y.Doc();
  const first = track(connectCollab(server, DOC, token, undefined, doc));
  await first.synced();
  doc.getText('t').insert(0, 'abc');
  await first.saved();
  first.destroy();

  // Sent, never acknowledged, lost with the node: the server never gets this one.
  doc.getText('t').insert(3, 'def');
  // Typed offline afterwards: the queued update starts where the lost one ended.
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(6, 'ghi');
  const queued = Y.encodeStateAsUpdate(doc, before);
  return { token, doc, queued };
}

async function rawSocket(token: string) {
  const ws = new WebSocket(`${server.wsUrl}/collab`);
  const notices: string[] = [];
  let serverStateVector: Uint8Array | null = null;
  let authenticated = false;
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type === T.Auth) authenticated = true;
    if (type === T.Stateless) notices.push(decoding.readVarString(d));
    if (type === T.Sync && decoding.readVarUint(d) === SYNC.step1)
      serverStateVector = decoding.readVarUint8Array(d);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    ws,
    notices,
    auth: () =>
      ws.send(
        frame((e) => {
          encoding.writeVarUint(e, T.Auth);
          encoding.writeVarUint(e, 0);
          encoding.writeVarString(e, token);
        }),
      ),
    /** Answers the server's sync step 1 as a provider does, with all `doc` has that the server lacks. */
    async stepTwo(doc: Y.Doc) {
      await waitFor(() => authenticated && serverStateVector !== null, {
        message: "the server's sync step 1",
      });
      ws.send(sync(SYNC.step2, Y.encodeStateAsUpdate(doc, serverStateVector!)));
    },
  };
}

describe('updates sent before their document is authenticated', () => {
  it('are dropped, and the handshake merges what the server lacks: no refusal for the gap', async () => {
    const { token, doc, queued } = await clientWithGap();
    const { ws, notices, auth, stepTwo } = await rawSocket(token);
    const droppedBefore = await beforeAuthCount();
    ws.send(sync(SYNC.update, queued));
    auth();
    ws.send(sync(SYNC.step1, Y.encodeStateVector(doc)));
    await stepTwo(doc);

    await waitFor(async () => (await serverText()) === 'abcdefghi', { message: 'everything merged' });
    expect(await beforeAuthCount()).toBe(droppedBefore + 1);
    expect(notices.map((n) => decodeCollabNotice(n)?.type)).not.toContain('updateRefused');
    ws.close();
  });

  it("sent during the handshake wait for the client's sync step 2, then merge: no refusal for the gap", async () => {
    const { token, doc, queued } = await clientWithGap();
    const { ws, notices, auth, stepTwo } = await rawSocket(token);
    auth();
    ws.send(sync(SYNC.step1, Y.encodeStateVector(doc)));
    // Typed while the provider waits for the server's sync step 1: incremental, after the lost change.
    ws.send(sync(SYNC.update, queued));
    await stepTwo(doc);
    await waitFor(async () => (await serverText()) === 'abcdefghi', { message: 'everything merged' });
    expect(notices.map((n) => decodeCollabNotice(n)?.type)).not.toContain('updateRefused');
    ws.close();
  });
});
