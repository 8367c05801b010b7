// The media protocol schemas in shared/ and the server's frame parser.
import {
  MEDIA_METHODS,
  MEDIA_PROTOCOL_VERSION,
  type MediaMethod,
  mediaReplyDataSchemas,
  mediaRequestSchema,
  mediaServerMessageSchema,
  PRE_JOIN_METHODS,
} from '@tandem/shared';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseRequest, peekRequestId } from '../../../server/src/media/parseRequest.ts';

const ID = '6f1c1a52-7f3b-4d0e-9a51-0c9b7d2e4f10';
const opusParameters = {
  mid: '0',
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 111,
      clockRate: 48000,
      channels: 2,
      parameters: { useinbandfec: 1 },
    },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
  encodings: [{ ssrc: 1111, dtx: true }],
  rtcp: { cname: 'abc', reducedSize: true },
};
const capabilities = {
  codecs: [
    {
      kind: 'audio',
      mimeType: 'audio/opus',
      preferredPayloadType: 100,
      clockRate: 48000,
      channels: 2,
      rtcpFeedback: [{ type: 'nack', parameter: '' }],
    },
    {
      kind: 'video',
      mimeType: 'video/H264',
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
    },
  ],
  headerExtensions: [
    {
      kind: 'audio',
      uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      preferredId: 10,
      direction: 'sendrecv',
    },
  ],
};

/** One valid `data` per method; the Record type makes this table fail to compile when a method is added. */
const VALID: Record<MediaMethod, unknown> = {
  getRouterRtpCapabilities: {},
  join: {
    protocol: MEDIA_PROTOCOL_VERSION,
    token: 'a.b.c',
    classId: 'class-1',
    rtpCapabilities: capabilities,
  },
  ping: undefined,
  createTransport: { direction: 'send' },
  connectTransport: {
    transportId: ID,
    dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB' }] },
  },
  restartIce: { transportId: ID },
  produce: { transportId: ID, kind: 'audio', source: 'mic', rtpParameters: opusParameters },
  pauseProducer: { producerId: ID },
  resumeProducer: { producerId: ID },
  closeProducer: { producerId: ID },
  consume: { producerId: ID },
  resumeConsumer: { consumerId: ID },
  pauseConsumer: { consumerId: ID },
  setPreferredLayers: { consumerId: ID, spatialLayer: 2, temporalLayer: 1 },
  setPublishPolicy: { policy: 'audio' },
  mutePeer: { peerId: ID },
  muteAll: undefined,
  stopCamera: { peerId: ID },
  stopScreenShare: { peerId: ID },
  setPublishGrant: { peerId: ID, grant: 'present' },
  removePeer: { peerId: ID },
  refreshToken: { token: 'a.b.c' },
  leave: {},
};

describe('media request schemas', () => {
  it('cover every method, each with a reply schema', () => {
    expect([...MEDIA_METHODS].sort()).toEqual(Object.keys(VALID).sort());
    expect(Object.keys(mediaReplyDataSchemas).sort()).toEqual([...MEDIA_METHODS].sort());
    expect(PRE_JOIN_METHODS.every((m) => MEDIA_METHODS.includes(m))).toBe(true);
    // A token can only be refreshed for a session that joined with one.
    expect(PRE_JOIN_METHODS).not.toContain('refreshToken');
  });

  it.each(Object.entries(VALID))('accept a valid %s request', (method, data) => {
    const parsed = v.safeParse(mediaRequestSchema, {
      id: 7,
      method,
      ...(data === undefined ? {} : { data }),
    });
    expect(parsed.success, JSON.stringify(parsed.issues)).toBe(true);
  });

  it('fill in data for methods whose fields are all optional', () => {
    expect(v.parse(mediaRequestSchema, { id: 1, method: 'muteAll' })).toEqual({
      id: 1,
      method: 'muteAll',
      data: {},
    });
  });

  it.each([
    ['a negative id', { id: -1, method: 'ping', data: {} }],
    ['a string id', { id: '1', method: 'ping', data: {} }],
    [
      'an unknown source',
      { id: 1, method: 'produce', data: { ...(VALID.produce as object), source: 'webcam' } },
    ],
    [
      'five encodings',
      {
        id: 1,
        method: 'produce',
        data: {
          ...(VALID.produce as object),
          rtpParameters: { ...opusParameters, encodings: [{}, {}, {}, {}, {}] },
        },
      },
    ],
    [
      'no codecs',
      {
        id: 1,
        method: 'produce',
        data: { ...(VALID.produce as object), rtpParameters: { ...opusParameters, codecs: [] } },
      },
    ],
    [
      'a payload type over 127',
      {
        id: 1,
        method: 'produce',
        data: {
          ...(VALID.produce as object),
          rtpParameters: { ...opusParameters, codecs: [{ ...opusParameters.codecs[0], payloadType: 200 }] },
        },
      },
    ],
    [
      'a class id with a slash',
      { id: 1, method: 'join', data: { ...(VALID.join as object), classId: 'a/b' } },
    ],
    ['a missing token', { id: 1, method: 'join', data: { ...(VALID.join as object), token: undefined } }],
    [
      'an unknown fingerprint algorithm',
      {
        id: 1,
        method: 'connectTransport',
        data: { transportId: ID, dtlsParameters: { fingerprints: [{ algorithm: 'md5', value: 'x' }] } },
      },
    ],
    ['an id that is not an id', { id: 1, method: 'consume', data: { producerId: '../etc' } }],
    [
      'a spatial layer of 9',
      { id: 1, method: 'setPreferredLayers', data: { consumerId: ID, spatialLayer: 9 } },
    ],
    ['an unknown policy', { id: 1, method: 'setPublishPolicy', data: { policy: 'video' } }],
    ['an empty refreshed token', { id: 1, method: 'refreshToken', data: { token: '' } }],
    ['a refresh without a token', { id: 1, method: 'refreshToken', data: {} }],
  ])('reject %s', (_name, request) => {
    expect(v.safeParse(mediaRequestSchema, request).success).toBe(false);
  });
});

describe('media server messages', () => {
  it('accept replies and notifications, and nothing else', () => {
    const ok = [
      { type: 'reply', id: 1, ok: true, data: {} },
      { type: 'reply', id: null, ok: false, error: { code: 'bad_request', message: 'x' } },
      { type: 'notification', event: 'peerLeft', data: { peerId: ID, reason: 'timeout' } },
      { type: 'notification', event: 'activeSpeaker', data: { peerId: null, producerId: null } },
      {
        type: 'notification',
        event: 'audioLevels',
        data: { levels: [{ peerId: ID, producerId: ID, volume: -20 }] },
      },
      { type: 'notification', event: 'tokenExpiring', data: { expiresAtMs: 1_760_000_000_000 } },
    ];
    for (const message of ok)
      expect(v.safeParse(mediaServerMessageSchema, message).success, JSON.stringify(message)).toBe(true);
    const bad = [
      { type: 'reply', id: null, ok: true, data: {} },
      { type: 'reply', id: 1, ok: false, error: { code: 'teapot', message: 'x' } },
      { type: 'notification', event: 'peerExploded', data: {} },
      { type: 'notification', event: 'peerLeft', data: { peerId: ID, reason: 'bored' } },
      { type: 'notification', event: 'tokenExpiring', data: {} },
    ];
    for (const message of bad)
      expect(v.safeParse(mediaServerMessageSchema, message).success, JSON.stringify(message)).toBe(false);
  });
});

describe('parseRequest', () => {
  it('parses a valid frame', () => {
    expect(
      parseRequest(JSON.stringify({ id: 3, method: 'createTransport', data: { direction: 'recv' } }), false),
    ).toEqual({
      ok: true,
      request: { id: 3, method: 'createTransport', data: { direction: 'recv' } },
    });
  });

  it.each([
    ['a binary frame', Buffer.from('{}'), true, null, 'JSON text frames'],
    ['broken JSON', '{"id": 1,', false, null, 'not valid JSON'],
    ['no method', '{"id": 4}', false, 4, 'not a request (method:'],
    ['an unknown method', '{"id": 5, "method": "teleport"}', false, 5, 'unknown method "teleport"'],
    [
      'bad data',
      '{"id": 6, "method": "consume", "data": {"producerId": 3}}',
      false,
      6,
      'invalid consume request: data.producerId:',
    ],
    ['a JSON array', '[1, 2]', false, null, 'not a request'],
  ] as const)('refuses %s with a bad_request that names the problem', (_name, frame, binary, id, text) => {
    const parsed = parseRequest(frame, binary);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.id).toBe(id);
    expect(parsed.error.code).toBe('bad_request');
    expect(parsed.error.message).toContain(text);
  });

  it('peeks at an id without parsing the frame', () => {
    expect(peekRequestId('{"id": 42, "method": "ping"')).toBe(42);
    expect(peekRequestId(Buffer.from('{"method":"ping","id":7}'))).toBe(7);
    expect(peekRequestId('{"method":"ping"}')).toBeNull();
  });
});
