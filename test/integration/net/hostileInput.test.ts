// Issue #10 point 1: malformed input from the network is a clean refusal of that request or connection,
// never an exception that stops the process. After each attack the server still serves others.
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { openWs, rawRequest } from './netClients.ts';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ DEV_TOKENS: '1', MAX_MESSAGE_BYTES: String(32 * 1024) });
});
afterEach(async () => {
  await server.stop();
});

async function expectStillServing(): Promise<void> {
  expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  const client = connectCollab(
    server,
    'class1/code/main',
    await server.token({ sub: 'probe', role: 'student' }),
  );
  try {
    await client.synced();
  } finally {
    client.destroy();
  }
}

describe('upgrades', () => {
  it.each(['/yjs/class1%2Fcode%2Fmain%E0%A4%A', '/yjs/%', '/yjs/%zz', '/yjs/class1/code/%ED%A0%80'])(
    'a malformed percent-escape in %s closes that socket with 4400',
    async (path) => {
      const { ended } = openWs(server, `${path}?token=x`);
      expect(await ended).toEqual({
        kind: 'closed',
        code: 4400,
        reason: 'the document name is not valid percent-encoding',
      });
      await expectStillServing();
    },
  );

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'toString\u0000session'])(
    'a /collab frame addressed to "%s" closes that socket with 4400 and pollutes nothing',
    async (address) => {
      const raw = openWs(server, '/collab');
      expect(await raw.opened).toBe(true);
      const e = encoding.createEncoder();
      encoding.writeVarString(e, address);
      encoding.writeVarUint(e, 2); // Auth
      encoding.writeVarUint(e, 0);
      encoding.writeVarString(e, await server.token({ sub: 'stu', role: 'student' }));
      encoding.writeVarString(e, 'polluted');
      raw.ws.send(encoding.toUint8Array(e));
      expect(await raw.ended).toMatchObject({
        kind: 'closed',
        code: 4400,
        reason: expect.stringContaining('is not a document name'),
      });
      expect('providerVersion' in {}).toBe(false);
      expect('context' in {}).toBe(false);
      await expectStillServing();
    },
  );

  it.each([
    ['/yjs/', 64 * 1024],
    ['/yjs/%zz', 64 * 1024],
    ['/media', 128 * 1024],
  ])('an oversize frame on a socket %s is refusing still closes only that socket', async (path, bytes) => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const raw = openWs(server, path);
      raw.ws.on('open', () => raw.ws.send(new Uint8Array(bytes)));
      expect(await raw.ended).toMatchObject({ kind: 'closed' });
      await expectStillServing();
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('bad request targets and unknown paths are refused, not thrown', async () => {
    const upgrade = (target: string) =>
      rawRequest(
        server,
        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    expect(await upgrade('http://[::1')).toMatch(/^HTTP\/1\.1 400/);
    expect(await upgrade('/nowhere')).toMatch(/^HTTP\/1\.1 404/);
    expect(await upgrade('/collab/extra')).toMatch(/^HTTP\/1\.1 404/);
    expect(await upgrade('/media/extra')).toMatch(/^HTTP\/1\.1 404/);
    await expectStillServing();
  });
});

describe('HTTP', () => {
  it('a request target that is not a URL → 400 JSON', async () => {
    const response = await rawRequest(
      server,
      'GET http://[::1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(response).toMatch(/^HTTP\/1\.1 400/);
    expect(response).toContain('"code":"bad_request"');
    await expectStillServing();
  });

  it('garbage bytes instead of HTTP → 400 and the connection closes', async () => {
    const response = await rawRequest(server, '\x00\x01\x02 garbage \r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400/);
    await expectStillServing();
  });

  it.each([
    ['GET', '/api/documents/class1/code/%E0%A4%A/versions'],
    ['GET', '/api/documents/%zz/code/main/history?after=%zz&limit=%'],
    ['GET', '/api/classes/%E0%A4%A/chat/main/messages'],
    ['GET', '/api/classes/class1/chat/main/search?q=%E0%A4%A'],
    ['GET', '/api/sessions/%zz/attendance?format=%zz'],
    ['POST', '/api/dev/token'],
  ])('%s %s with bad escapes or no credentials → a 4xx JSON answer', async (method, path) => {
    const res = await fetch(`${server.httpUrl}${path}`, { method });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/json');
    await expectStillServing();
  });

  it.each([
    '{',
    '[]',
    'null',
    '"text"',
    '{"__proto__":{"admin":true},"sub":"a","name":"A","cls":"c","role":"student"}',
    '\u0000\u0001',
    `{"sub":"${'x'.repeat(5000)}"}`,
  ])('JSON body %# → 400, never 500', async (body) => {
    const res = await fetch(`${server.httpUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    // The __proto__ body is a valid request once the key is ignored; the rest are refused.
    expect([200, 400, 413]).toContain(res.status);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
    await expectStillServing();
  });

  it('/examples/<built-in name> is a 404, not a 500', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect((await fetch(`${server.httpUrl}/examples/${name}`)).status).toBe(404);
    }
  });
});
