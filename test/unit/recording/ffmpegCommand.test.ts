// What recorder processes are told: the SDP for a consumer, the container per codec, the consumer's
// capabilities (the producer's codec only, no RTX), and the folder name of a recording.
import { describe, expect, it } from 'vitest';
import {
  capabilitiesFor,
  containerFor,
  recordArgs,
  recordingSdp,
  remuxArgs,
} from '../../../server/src/recording/ffmpegCommand.ts';
import { folderName } from '../../../server/src/recording/RecordingService.ts';

describe('recording commands', () => {
  it('describes an Opus consumer in SDP with its payload type, rtcp-mux and the port ffmpeg listens on', () => {
    const sdp = recordingSdp({
      kind: 'audio',
      codec: { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: {} },
      ip: '127.0.0.1',
      rtpPort: 40100,
    });
    expect(sdp.split('\r\n')).toEqual([
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=Tandem recording',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 40100 RTP/AVP 100',
      'a=rtcp-mux',
      'a=rtpmap:100 opus/48000/2',
      'a=recvonly',
      '',
    ]);
  });

  it('keeps H264 parameters in the fmtp line and writes H264 to Matroska, Opus and VP8 to WebM', () => {
    const sdp = recordingSdp({
      kind: 'video',
      codec: {
        mimeType: 'video/H264',
        payloadType: 107,
        clockRate: 90000,
        parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
      },
      ip: '127.0.0.1',
      rtpPort: 40102,
    });
    expect(sdp).toContain(
      'a=rtpmap:107 H264/90000\r\na=fmtp:107 packetization-mode=1;profile-level-id=42e01f',
    );
    expect(containerFor('video/H264')).toBe('mkv');
    expect(containerFor('video/VP8')).toBe('webm');
    expect(containerFor('audio/opus')).toBe('webm');
    expect(containerFor('audio/PCMU')).toBeUndefined();
    expect(() =>
      recordingSdp({
        ...{ kind: 'audio', ip: '127.0.0.1', rtpPort: 1 },
        codec: { mimeType: 'audio/PCMU', payloadType: 0, clockRate: 8000 },
      }),
    ).toThrow(/cannot record/);
  });

  it('records without transcoding, flushing each cluster, and remuxes as it is', () => {
    const args = recordArgs('/r/a.sdp', '/r/a.webm', 'webm');
    expect(args.join(' ')).toMatch(
      /-i \/r\/a\.sdp -map 0 -c copy -f webm .*-flush_packets 1 .*-y \/r\/a\.webm$/,
    );
    expect(recordArgs('/r/a.sdp', '/r/a.mkv', 'mkv')).toContain('matroska');
    expect(remuxArgs('/r/a.webm', '/r/b.webm', 'webm').join(' ')).toMatch(
      /-i \/r\/a\.webm -map 0 -c copy -f webm -y \/r\/b\.webm$/,
    );
  });

  it('offers the consumer only the producer’s codec, without RTX or header extensions', () => {
    const caps = capabilitiesFor(
      {
        codecs: [
          { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
          { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101 },
          {
            kind: 'video',
            mimeType: 'video/rtx',
            clockRate: 90000,
            preferredPayloadType: 102,
            parameters: { apt: 101 },
          },
        ],
        headerExtensions: [{ kind: 'video', uri: 'urn:3gpp:video-orientation', preferredId: 4 }],
      },
      {
        rtpParameters: {
          codecs: [
            { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 },
            { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000 },
          ],
        },
      },
    );
    expect(caps.codecs?.map((c) => c.mimeType)).toEqual(['video/VP8']);
    expect(caps.codecs?.[0]?.rtcpFeedback).toEqual([{ type: 'nack' }, { type: 'nack', parameter: 'pli' }]);
    expect(caps.headerExtensions).toEqual([]);
  });

  it('names a recording folder by class, UTC start and id', () => {
    expect(folderName('cs101', Date.UTC(2026, 11, 3, 4, 5, 6, 789), 'rec_x')).toBe(
      'cs101-20261203T040506Z-rec_x',
    );
  });
});
