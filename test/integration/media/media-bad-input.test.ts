// Bad signaling input gets a clear error reply and never a crash: broken frames, unknown methods, wrong
// types, requests before join, other peers' ids, repeated steps, floods and oversized frames.
import { CLOSE_CODES, MEDIA_PROTOCOL_VERSION } from '@tandem/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaRequestError, MediaSignalClient } from '../../helpers/weriftSignal.ts';

let server: TestServer;
const cleanup: { close(): void }[] = [];

async function connect(): Promise<MediaSignalClient> {
  const client = await MediaSignalClient.connect(server.wsUrl);
  cleanup.push(client);
  return client;
}

async function join(sub: string, cls: string, role: 'student' | 'instructor' = 'student') {
  const peer = await WeriftMediaPeer.join(server, { sub, role, cls });
  cleanup.push(peer);
  return peer;
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaRequestError);
  return { code: (error as MediaRequestError).code, message: (error as MediaRequestError).message };
}

beforeAll(async () => {
  server = await startMediaServer();
});
afterEach(() => {
  for (const c of cleanup.splice(0)) c.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('media signaling: malformed requests', () => {
  it('answers broken frames, unknown methods and wrong types with bad_request, keeping the socket', async () => {
    const client = await connect();
    client.sendFrame('{not json');
    client.sendFrame(Buffer.from([1, 2, 3]));
    client.sendFrame(JSON.stringify({ id: 'seven', method: 'ping' }));
    await waitFor(() => client.strayReplies.length === 3);
    expect(client.strayReplies.map((r) => [r.id, r.error?.code])).toEqual([
      [null, 'bad_request'],
      [null, 'bad_request'],
      [null, 'bad_request'],
    ]);
    expect(client.strayReplies[0]!.error!.message).toContain('not valid JSON');
    expect(client.strayReplies[1]!.error!.message).toContain('JSON text frames');

    const unknown = await client.requestRaw({ method: 'fly', data: {} });
    expect(unknown.error).toEqual({
      code: 'bad_request',
      message: expect.stringContaining('unknown method "fly"'),
    });
    const wrongType = await client.requestRaw({ method: 'createTransport', data: { direction: 'sideways' } });
    expect(wrongType.error?.message).toMatch(/^invalid createTransport request: data\.direction: /);
    const missing = await client.requestRaw({ method: 'join', data: { protocol: MEDIA_PROTOCOL_VERSION } });
    expect(missing.error?.message).toContain('data.token');
    expect(client.closed).toBeUndefined();
    expect(await client.request('ping')).toHaveProperty('serverTimeMs');
  });

  it('refuses requests before join with unauthorized, and a join with a bad token with 4401', async () => {
    const client = await connect();
    const early = await errorOf(client.request('createTransport', { direction: 'send' }));
    expect(early).toEqual({ code: 'unauthorized', message: expect.stringContaining('join first') });
    const badToken = await errorOf(
      client.request('join', {
        protocol: MEDIA_PROTOCOL_VERSION,
        token: 'nope',
        classId: 'bad1',
        rtpCapabilities: {},
      }),
    );
    expect(badToken.code).toBe('unauthorized');
    expect((await client.waitForClose()).code).toBe(CLOSE_CODES.unauthorized);
  });

  it('refuses another protocol version with 4400', async () => {
    const client = await connect();
    const token = await server.token({ sub: 'old', role: 'student', cls: 'bad2' });
    const error = await errorOf(
      client.request('join', { protocol: 99, token, classId: 'bad2', rtpCapabilities: {} }),
    );
    expect(error.message).toContain('media protocol 99 is not supported');
    expect((await client.waitForClose()).code).toBe(CLOSE_CODES.badRequest);
  });

  it('closes the socket on an oversized frame', async () => {
    const client = await connect();
    client.sendFrame(JSON.stringify({ id: 1, method: 'ping', data: { pad: 'x'.repeat(70 * 1024) } }));
    expect((await client.waitForClose()).code).toBe(CLOSE_CODES.tooLarge);
  });
});

describe('media signaling: ids and order', () => {
  it('treats other peers’ transports, producers and consumers as not found, leaving them untouched', async () => {
    const a = await join('a', 'bad3', 'instructor');
    const b = await join('b', 'bad3');
    const mic = await a.publish('mic');
    const aIn = await a.consume((await b.publish('mic')).producerId);
    const bIn = await b.consume(mic.producerId);
    const aSend = a.sendTransport!.id;
    const dtlsParameters = {
      role: 'client',
      fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }],
    } as const;

    for (const [method, data] of [
      ['connectTransport', { transportId: aSend, dtlsParameters }],
      ['restartIce', { transportId: aSend }],
      [
        'produce',
        {
          transportId: aSend,
          kind: 'audio',
          source: 'screen-audio',
          rtpParameters: mic.producer.rtpParameters,
        },
      ],
      ['pauseProducer', { producerId: mic.producerId }],
      ['closeProducer', { producerId: mic.producerId }],
      ['resumeConsumer', { consumerId: aIn.consumerId }],
      ['setPreferredLayers', { consumerId: aIn.consumerId, spatialLayer: 0 }],
      ['consume', { producerId: '00000000-0000-0000-0000-000000000000' }],
    ] as const) {
      expect((await errorOf(b.signal.request(method, data as never))).code, method).toBe('not_found');
    }
    expect((await errorOf(a.signal.request('mutePeer', { peerId: 'no-such-peer' }))).code).toBe('not_found');
    expect((await errorOf(b.signal.request('mutePeer', { peerId: 'no-such-peer' }))).code).toBe('forbidden');
    // a's producer kept flowing to b.
    const before = bIn.packets;
    await waitFor(() => bIn.packets >= before + 10);
  });

  it('refuses repeated or inconsistent steps with clear errors', async () => {
    const a = await join('a', 'bad4', 'instructor');
    const mic = await a.publish('mic');
    const b = await join('b', 'bad4');
    const bMic = await b.publish('mic');
    const received = await b.consume(mic.producerId);
    const send = b.sendTransport!.id;
    const params = bMic.producer.rtpParameters;

    const cases: [string, Promise<unknown>, string, string][] = [
      [
        'second send transport',
        b.signal.request('createTransport', { direction: 'send' }),
        'conflict',
        'already have a send transport',
      ],
      [
        'connect twice',
        b.signal.request('connectTransport', {
          transportId: send,
          dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] },
        }),
        'conflict',
        'already connected',
      ],
      [
        'consume twice',
        b.signal.request('consume', { producerId: mic.producerId }),
        'conflict',
        'already consume',
      ],
      [
        'layers of a simple consumer',
        b.signal.request('setPreferredLayers', { consumerId: received.consumerId, spatialLayer: 1 }),
        'bad_request',
        'not simulcast',
      ],
      [
        'kind against source',
        b.signal.request('produce', {
          transportId: send,
          kind: 'video',
          source: 'mic',
          rtpParameters: params as never,
        }),
        'bad_request',
        'carries audio, not video',
      ],
      [
        'second mic',
        b.signal.request('produce', {
          transportId: send,
          kind: 'audio',
          source: 'mic',
          rtpParameters: params as never,
        }),
        'conflict',
        'already publish mic',
      ],
      [
        'audio on a camera source',
        b.signal.request('produce', {
          transportId: send,
          kind: 'audio',
          source: 'camera',
          rtpParameters: params as never,
        }),
        'bad_request',
        'a camera producer carries video',
      ],
      [
        'join twice',
        b.signal.request('join', {
          protocol: MEDIA_PROTOCOL_VERSION,
          token: 'x',
          classId: 'bad4',
          rtpCapabilities: {},
        }),
        'conflict',
        'already joined',
      ],
      ['remove yourself', a.signal.request('removePeer', { peerId: a.peerId }), 'bad_request', 'send leave'],
    ];
    for (const [name, promise, code, text] of cases) {
      const error = await errorOf(promise);
      expect(error.code, name).toBe(code);
      expect(error.message, name).toContain(text);
    }
    const unknownCodec = {
      ...params,
      codecs: [{ mimeType: 'audio/nonsense', payloadType: 100, clockRate: 48000 }],
      encodings: [{ ssrc: 1234 }],
    };
    const refused = await errorOf(
      a.signal.request('produce', {
        transportId: a.sendTransport!.id,
        kind: 'audio',
        source: 'screen-audio',
        rtpParameters: unknownCodec as never,
      }),
    );
    expect(refused.code).toBe('bad_request');
    expect(refused.message).toContain('mediasoup refused the request');

    const c = await join('c', 'bad4');
    expect((await errorOf(c.signal.request('consume', { producerId: mic.producerId }))).message).toContain(
      'create a recv transport',
    );
    expect(b.signal.closed).toBeUndefined();
  });

  it('rate-limits a flood, then disconnects it, while other peers carry on', async () => {
    const calm = await join('calm', 'bad5');
    const flooder = await join('flooder', 'bad5');
    for (let i = 0; i < 2000; i++)
      flooder.signal.sendFrame(JSON.stringify({ id: 100_000 + i, method: 'ping' }));
    expect((await flooder.signal.waitForClose()).code).toBe(CLOSE_CODES.rateLimited);
    const limited = flooder.signal.strayReplies.filter((r) => r.error?.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(50);
    expect(limited[0]!.id).toBeGreaterThanOrEqual(100_000);
    expect(limited[0]!.error!.message).toContain('slow down');
    await calm.signal.waitForNotification('peerLeft', (d) => d.peerId === flooder.peerId);
    expect(await calm.signal.request('ping')).toHaveProperty('serverTimeMs');
  });

  it('never failed internally on any of the above', async () => {
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toContain('tandem_media_requests_total');
    expect(metrics).not.toMatch(/tandem_media_requests_total\{[^}]*outcome="internal"/);
  });
});
