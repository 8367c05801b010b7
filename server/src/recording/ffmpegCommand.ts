// What a recorder process is told, as pure functions: the SDP that describes one consumer's RTP stream, the
// container its codec is written to as it is (Opus and VP8 to WebM, H264 to Matroska), and the ffmpeg
// arguments to record (from the SDP, no transcoding) and to repair (remux) a file a killed recorder left.
import type { types as ms } from 'mediasoup';

export type Container = 'webm' | 'mkv';

const RTP_CODEC_NAMES: Record<string, { name: string; container: Container }> = {
  'audio/opus': { name: 'opus', container: 'webm' },
  'video/vp8': { name: 'VP8', container: 'webm' },
  'video/vp9': { name: 'VP9', container: 'webm' },
  'video/h264': { name: 'H264', container: 'mkv' },
};

/** The container a codec is kept in; undefined for a codec we do not record. */
export function containerFor(mimeType: string): Container | undefined {
  return RTP_CODEC_NAMES[mimeType.toLowerCase()]?.container;
}

export interface SdpInput {
  kind: 'audio' | 'video';
  codec: ms.RtpCodecParameters;
  /** Where ffmpeg listens (RTP; it also binds rtpPort + 1 for its own RTCP). */
  ip: string;
  rtpPort: number;
}

/** An SDP for ffmpeg: one m= line with the consumer's payload type, codec and parameters. */
export function recordingSdp({ kind, codec, ip, rtpPort }: SdpInput): string {
  const known = RTP_CODEC_NAMES[codec.mimeType.toLowerCase()];
  if (!known) throw new Error(`cannot record ${codec.mimeType}`);
  const pt = codec.payloadType;
  const rtpmap = `${known.name}/${codec.clockRate}${codec.channels && codec.channels > 1 ? `/${codec.channels}` : ''}`;
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(';');
  const family = ip.includes(':') ? 'IP6' : 'IP4';
  return [
    'v=0',
    `o=- 0 0 IN ${family} ${ip}`,
    's=Tandem recording',
    `c=IN ${family} ${ip}`,
    't=0 0',
    `m=${kind} ${rtpPort} RTP/AVP ${pt}`,
    // mediasoup sends its RTCP on the RTP port (rtcp-mux); ffmpeg's RTP reader takes RTCP arriving there.
    'a=rtcp-mux',
    `a=rtpmap:${pt} ${rtpmap}`,
    ...(fmtp ? [`a=fmtp:${pt} ${fmtp}`] : []),
    'a=recvonly',
    '',
  ].join('\r\n');
}

/** ffmpeg arguments that write the stream described by `sdpPath` to `outPath` as it is. */
export function recordArgs(sdpPath: string, outPath: string, container: Container): string[] {
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'warning',
    '-protocol_whitelist',
    'file,udp,rtp',
    // Packets can arrive late and out of order on a busy machine: keep a few before giving up on one.
    '-reorder_queue_size',
    '500',
    '-fflags',
    '+genpts',
    // ffmpeg writes nothing until it has probed the stream (5 s by default): a recorder killed before that
    // would leave no file. Two seconds see a key frame (requested at the start) and the frame rate.
    '-analyzeduration',
    '2000000',
    '-i',
    sdpPath,
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    container === 'webm' ? 'webm' : 'matroska',
    // Each finished cluster goes to disk at once (ffmpeg otherwise keeps the file in memory until its end) and
    // clusters are short: a recorder killed outright loses at most about two seconds.
    '-flush_packets',
    '1',
    '-cluster_time_limit',
    '2000',
    '-y',
    outPath,
  ];
}

/** Rewrites a file whose recorder was killed (no cues, no duration) into one that can be seeked. */
export function remuxArgs(inPath: string, outPath: string, container: Container): string[] {
  return [
    '-hide_banner',
    '-nostats',
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    inPath,
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    container === 'webm' ? 'webm' : 'matroska',
    '-y',
    outPath,
  ];
}

/**
 * The rtpCapabilities a recording consumer offers: the Router's entries for the producer's own codec only
 * (no RTX, no header extensions), with NACK (mediasoup resends a lost packet) and PLI (it asks for a key frame).
 */
export function capabilitiesFor(
  router: ms.RtpCapabilities,
  producer: { rtpParameters: ms.RtpParameters },
): ms.RtpCapabilities {
  const media = producer.rtpParameters.codecs.find((c) => !/\/rtx$/i.test(c.mimeType));
  if (!media) throw new Error('the producer has no media codec');
  const codecs = (router.codecs ?? [])
    .filter((c) => c.mimeType.toLowerCase() === media.mimeType.toLowerCase())
    .map((c) => ({
      ...c,
      rtcpFeedback: c.kind === 'video' ? [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] : [],
    }));
  return { codecs, headerExtensions: [] };
}
