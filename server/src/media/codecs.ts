// The codecs every class Router offers. Opus with in-band FEC and DTX for voice; VP8 first for cameras
// (clients send it as 3-layer simulcast, the Router forwards whichever layers exist); H264 for clients
// that only encode that (Safari on some devices), in baseline and main profiles.
import type { types as ms } from 'mediasoup';

export const MEDIA_CODECS: ms.RouterRtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    parameters: { useinbandfec: 1, usedtx: 1 },
  },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 1000 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '4d0032', 'level-asymmetry-allowed': 1 },
  },
];

/** Cap on what one peer may send us in total (camera simulcast plus a screen share fit well under it). */
export const MAX_INCOMING_BITRATE_BPS = 6_000_000;
/** Starting estimate for what we send a peer, before bandwidth estimation has data. */
export const INITIAL_OUTGOING_BITRATE_BPS = 1_000_000;
