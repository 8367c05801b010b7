// Closing a document and opening it again on the same socket, as the browser does when it reloads a document
// after a refused change: the CLOSE, Auth and SyncStep1 reach the server in one burst. The new provider must be
// authenticated and synced, not left waiting while the closing connection swallows its frames
// (server/src/collab/reopenOrder.ts). The test server runs in this process, so blocking the event loop for a
// moment makes the frames arrive together, as they do on a loaded machine.
import { CLOSE_CODES } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { clientTracker, connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const DOC = 'class1/code/main';
const T = { Sync: 0, Auth: 2, Close: 7 } as const;

let server: TestServer;
const { track, destroyAll } = clientTracker();

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  destroyAll();
  await server.stop();
});

/** Holds this process (and the in-process server) so the frames just sent are read in one burst. */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy on purpose: a timer would let the server read each frame as it comes.
  }
}

function frame(address: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  write(e);
  return encoding.toUint8Array(e);
}

describe('a document closed and opened again on one socket', () => {
  it('authenticates and syncs the new provider when its frames arrive with the CLOSE', async () => {
    const token = await server.token({ sub: 'ana', role: 'instructor' });
    const first = track(connectCollab(server, DOC, token));
    await first.synced();
    first.doc.getText('t').insert(0, 'before the reload');
    await first.saved();

    let current = first;
    for (let round = 0; round < 3; round++) {
      // Detach (CLOSE) and attach a new provider for the same address on the same socket, at once.
      current.provider.destroy();
      const fresh = track(connectCollab(server, DOC, token, first.socket));
      blockEventLoop(100);
      await waitFor(() => fresh.provider.isAuthenticated && fresh.provider.isSynced, {
        timeoutMs: 5000,
        message: `round ${round}: the new provider is authenticated and synced`,
      });
      expect(fresh.doc.getText('t').toString()).toContain('before the reload');
      fresh.doc.getText('t').insert(0, `round ${round} `);
      await fresh.saved();
      const serverText = () => server.tandem.ctx.collab.read(DOC, (doc) => doc.getText('t').toString());
      expect(await serverText()).toMatch(new RegExp(`^round ${round} `));
      current = fresh;
    }
  });

  it('refuses a socket that sends too much for a document still closing', async () => {
    const ws = new WebSocket(`${server.wsUrl}/collab`);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    let authenticated = false;
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarString(d) === DOC && decoding.readVarUint(d) === T.Auth) authenticated = true;
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const token = await server.token({ sub: 'ana', role: 'student' });
    const auth = frame(DOC, (e) => {
      encoding.writeVarUint(e, T.Auth);
      encoding.writeVarUint(e, 0);
      encoding.writeVarString(e, token);
    });
    ws.send(auth);
    await waitFor(() => authenticated, { message: 'authenticated' });

    ws.send(frame(DOC, (e) => encoding.writeVarUint(e, T.Close)));
    for (let i = 0; i < 100; i++) ws.send(auth);
    blockEventLoop(100);
    expect(await closed).toMatchObject({
      code: CLOSE_CODES.rateLimited,
      reason: expect.stringMatching(/still closing/),
    });
  });
});
