// Codecs the class Router offers and accepts: Opus with FEC/DTX, VP8 in 3-layer simulcast, H264. These
// use raw signaling (no RTP is needed to negotiate): werift cannot send simulcast or H264 itself.
import { MEDIA_PROTOCOL_VERSION, type RtpCapabilities } from '@tandem/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import { startMediaServer } from '../../helpers/weriftPeer.ts';
import { MediaRequestError, MediaSignalClient } from '../../helpers/weriftSignal.ts';

type Codec = NonNullable<RtpCapabilities['codecs']>[number];
let server: TestServer;
let routerCaps: RtpCapabilities;
const cleanup: MediaSignalClient[] = [];

async function joinRaw(sub: string, role: 'instructor' | 'student', keep: (c: Codec) => boolean) {
  const client = await MediaSignalClient.connect(server.wsUrl);
  cleanup.push(client);
  const rtpCapabilities = {
    ...routerCaps,
    codecs: routerCaps.codecs?.filter((c) => keep(c) || c.mimeType === 'video/rtx'),
  };
  const token = await server.token({ sub, role, cls: 'codecs' });
  const joined = await client.request('join', {
    protocol: MEDIA_PROTOCOL_VERSION,
    token,
    classId: 'codecs',
    rtpCapabilities,
  });
  return { client, joined };
}

function payloadTypeOf(mimeType: string, match: (c: Codec) => boolean = () => true): number {
  const codec = routerCaps.codecs?.find((c) => c.mimeType === mimeType && match(c));
  return codec!.preferredPayloadType!;
}

beforeAll(async () => {
  server = await startMediaServer();
  const probe = await MediaSignalClient.connect(server.wsUrl);
  routerCaps = (await probe.request('getRouterRtpCapabilities')).rtpCapabilities;
  probe.close();
});
afterEach(() => {
  for (const c of cleanup.splice(0)) c.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('media codecs', () => {
  it('offers Opus with in-band FEC and DTX, VP8, and H264 baseline and main', () => {
    const codecs = routerCaps.codecs ?? [];
    expect(codecs.find((c) => c.mimeType === 'audio/opus')?.parameters).toMatchObject({
      useinbandfec: 1,
      usedtx: 1,
    });
    expect(codecs.some((c) => c.mimeType === 'video/VP8')).toBe(true);
    const h264 = codecs
      .filter((c) => c.mimeType === 'video/H264')
      .map((c) => c.parameters?.['profile-level-id']);
    expect(h264).toEqual(['42e01f', '4d0032']);
  });

  it('accepts 3-layer VP8 simulcast and lets a viewer choose its layer', async () => {
    const { client: teacher } = await joinRaw('teacher', 'instructor', () => true);
    const { transportId } = await teacher.request('createTransport', { direction: 'send' });
    const { producerId } = await teacher.request('produce', {
      transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        mid: '0',
        codecs: [
          { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }] },
        ],
        headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
        encodings: [
          { ssrc: 1111, scalabilityMode: 'L1T3', maxBitrate: 150_000 },
          { ssrc: 2222, scalabilityMode: 'L1T3', maxBitrate: 500_000 },
          { ssrc: 3333, scalabilityMode: 'L1T3', maxBitrate: 1_200_000 },
        ],
        rtcp: { cname: 'teacher' },
      },
    });
    const { client: viewer } = await joinRaw('viewer', 'student', (c) => c.mimeType !== 'video/H264');
    await viewer.request('createTransport', { direction: 'recv' });
    const consumed = await viewer.request('consume', { producerId });
    expect(consumed.type).toBe('simulcast');
    expect(consumed.rtpParameters.encodings?.[0]?.scalabilityMode).toBe('L3T3');
    await viewer.request('setPreferredLayers', {
      consumerId: consumed.consumerId,
      spatialLayer: 0,
      temporalLayer: 1,
    });
    await viewer.request('setPreferredLayers', { consumerId: consumed.consumerId, spatialLayer: 2 });
  });

  it('accepts H264, and refuses it to a viewer that cannot decode it', async () => {
    const { client: teacher } = await joinRaw('teacher', 'instructor', () => true);
    const { transportId } = await teacher.request('createTransport', { direction: 'send' });
    const { producerId } = await teacher.request('produce', {
      transportId,
      kind: 'video',
      source: 'screen',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'video/H264',
            payloadType: payloadTypeOf('video/H264'),
            clockRate: 90000,
            parameters: {
              'packetization-mode': 1,
              'profile-level-id': '42e01f',
              'level-asymmetry-allowed': 1,
            },
          },
        ],
        encodings: [{ ssrc: 4444 }],
        rtcp: { cname: 'teacher' },
      },
    });
    const { client: h264Viewer } = await joinRaw('h264', 'student', () => true);
    await h264Viewer.request('createTransport', { direction: 'recv' });
    const consumed = await h264Viewer.request('consume', { producerId });
    expect(consumed.rtpParameters.codecs[0]?.mimeType).toBe('video/H264');
    expect(consumed.source).toBe('screen');

    const { client: vp8Viewer } = await joinRaw('vp8', 'student', (c) => c.mimeType !== 'video/H264');
    await vp8Viewer.request('createTransport', { direction: 'recv' });
    const refused = await vp8Viewer.request('consume', { producerId }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MediaRequestError);
    expect((refused as MediaRequestError).message).toContain('no common codec');
  });
});
