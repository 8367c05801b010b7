// Hostile and broken input on the collaboration endpoints: the offending socket gets a clear close code
// and reason; the process, other clients of the same document and stored data are unaffected.
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type CollabClient, connectCollab } from '../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';

let server: TestServer;
let bystander: CollabClient;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  server = await startTestServer({
    MAX_MESSAGE_BYTES: String(64 * 1024),
    RATE_LIMIT_MESSAGES_PER_SEC: '50',
    RATE_LIMIT_BURST: '100',
  });
  bystander = connectCollab(
    server,
    'class1/code/main',
    await server.token({ sub: 'ins', role: 'instructor' }),
  );
  await bystander.synced();
  bystander.doc.getText('t').insert(0, 'precious');
  await bystander.saved();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  bystander.destroy();
  await server.stop();
});

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}
const authFrame = (doc: string, token: string) =>
  frame((e) => {
    encoding.writeVarString(e, doc);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, token);
  });
const updateFrame = (doc: string, update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarString(e, doc);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, update);
  });

/** Resolves with the next SyncStatus message (type 8: the server's acknowledgement of an update). */
function nextSyncStatus(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const bytes = new Uint8Array(event.data as ArrayBuffer);
      if (bytes[1 + bytes[0]!] !== 8) return;
      ws.removeEventListener('message', onMessage);
      resolve();
    };
    ws.addEventListener('message', onMessage);
  });
}

async function rawSocket(
  path = '/collab',
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`${server.wsUrl}${path}`);
  ws.binaryType = 'arraybuffer';
  sockets.push(ws);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })),
  );
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  return { ws, closed };
}

/** After each attack: the server still serves, the bystander still syncs, and the document is intact. */
async function expectUnharmed() {
  const probe = connectCollab(
    server,
    'class1/code/main',
    await server.token({ sub: 'probe', role: 'student' }),
  );
  try {
    await probe.synced();
    expect(probe.doc.getText('t').toString()).toBe('precious');
    probe.doc.getText('t').insert(8, '!');
    await waitFor(() => bystander.doc.getText('t').toString() === 'precious!');
  } finally {
    probe.destroy();
  }
  const res = await fetch(`${server.httpUrl}/healthz`);
  expect(res.status).toBe(200);
}

describe('bad input on /collab', () => {
  it('a text frame → 4400', async () => {
    const { ws, closed } = await rawSocket();
    ws.send('hello');
    expect(await closed).toMatchObject({ code: 4400, reason: expect.stringContaining('text frames') });
    await expectUnharmed();
  });

  it('a malformed binary frame → 4400', async () => {
    const { ws, closed } = await rawSocket();
    ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(await closed).toMatchObject({ code: 4400, reason: expect.stringContaining('malformed') });
    await expectUnharmed();
  });

  it('an unknown message type → 4400', async () => {
    const { ws, closed } = await rawSocket();
    ws.send(
      frame((e) => {
        encoding.writeVarString(e, 'class1/code/main');
        encoding.writeVarUint(e, 99);
      }),
    );
    expect(await closed).toMatchObject({ code: 4400, reason: 'unknown message type 99' });
    await expectUnharmed();
  });

  it('an invalid Yjs update from an authenticated client → 4400, document not corrupted', async () => {
    const { ws, closed } = await rawSocket();
    ws.send(authFrame('class1/code/main', await server.token({ sub: 'stu', role: 'student' })));
    await waitFor(() => server.tandem.ctx.collab.hocuspocus.getConnectionsCount() === 2);
    ws.send(updateFrame('class1/code/main', new Uint8Array([1, 200, 3, 7, 7, 7, 7, 250, 250])));
    expect(await closed).toMatchObject({ code: 4400, reason: expect.stringContaining('Yjs update') });
    await expectUnharmed();
    const history = await server.tandem.ctx.collab.store.history('class1/code/main');
    expect(history.every((h) => h.userId !== 'stu')).toBe(true);
  });

  it('an invalid Yjs update after valid ones (the direct path) → 4400, document not corrupted', async () => {
    const { ws, closed } = await rawSocket();
    const direct = () => server.tandem.ctx.metrics.counts.updatesDirect;
    ws.send(authFrame('class1/code/main', await server.token({ sub: 'stu', role: 'student' })));
    await waitFor(() => server.tandem.ctx.collab.hocuspocus.getConnectionsCount() === 2);
    // Valid updates, each acknowledged, until one has been applied without Hocuspocus's message pipeline.
    const scratch = new Y.Doc();
    const before = direct();
    while (direct() === before) {
      const sv = Y.encodeStateVector(scratch);
      scratch.getText('scratch').insert(0, 'x');
      const ack = nextSyncStatus(ws);
      ws.send(updateFrame('class1/code/main', Y.encodeStateAsUpdate(scratch, sv)));
      await ack;
    }
    ws.send(updateFrame('class1/code/main', new Uint8Array([1, 200, 3, 7, 7, 7, 7, 250, 250])));
    expect(await closed).toMatchObject({ code: 4400, reason: expect.stringContaining('Yjs update') });
    await expectUnharmed();
  });

  it('an oversized message on a socket that has authenticated nothing → 1009', async () => {
    const { ws, closed } = await rawSocket();
    const big = new Y.Doc();
    big.getText('t').insert(0, 'x'.repeat(100 * 1024));
    ws.send(updateFrame('class1/code/main', Y.encodeStateAsUpdate(big)));
    expect((await closed).code).toBe(1009);
    await expectUnharmed();
  });

  it('an unknown document kind → refused with 4400 and a reason', async () => {
    const c = connectCollab(
      server,
      'class1/secrets/main',
      await server.token({ sub: 'stu', role: 'student' }),
    );
    try {
      const closed = await waitFor(() => c.closes[0]);
      expect(closed.code).toBe(4400);
      expect(c.denied[0]).toContain('unknown document kind');
    } finally {
      c.destroy();
    }
    await expectUnharmed();
  });

  it('a flood from one connection → 4429, others unaffected', async () => {
    const { ws, closed } = await rawSocket();
    ws.send(authFrame('class1/code/main', await server.token({ sub: 'stu', role: 'student' })));
    const awareness = frame((e) => {
      encoding.writeVarString(e, 'class1/code/main');
      encoding.writeVarUint(e, 3);
    });
    for (let i = 0; i < 2000 && ws.readyState === WebSocket.OPEN; i++) ws.send(awareness);
    expect(await closed).toMatchObject({ code: 4429, reason: expect.stringContaining('too many messages') });
    await expectUnharmed();
  });
});

describe('bad input on /yjs', () => {
  it('an unknown document name → 4400', async () => {
    const { closed } = await rawSocket('/yjs/not-a-document');
    expect((await closed).code).toBe(4400);
  });

  it('a malformed frame → 4400', async () => {
    const token = await server.token({ sub: 'stu', role: 'student' });
    const { ws, closed } = await rawSocket(`/yjs/class1/code/main?token=${token}`);
    ws.send(new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect((await closed).code).toBe(4400);
    await expectUnharmed();
  });
});

describe('bad input over HTTP', () => {
  it('unknown routes, bad JSON and oversize bodies get JSON errors', async () => {
    expect((await fetch(`${server.httpUrl}/nope`)).status).toBe(404);
    const token = await server.token({ sub: 'ins', role: 'instructor' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const bad = await fetch(`${server.httpUrl}/api/documents/class1/code/main/versions`, {
      method: 'POST',
      headers,
      body: '{oops',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'bad_request', message: 'request body is not valid JSON' },
    });
    const huge = await fetch(`${server.httpUrl}/api/documents/class1/code/main/versions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ label: 'x'.repeat(10_000) }),
    });
    expect(huge.status).toBe(413);
  });
});
