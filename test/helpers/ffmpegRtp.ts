// Real media for headless tests: ffmpeg's test sources (a moving test pattern, a 440 Hz tone) encoded to VP8
// (or H264) and Opus and sent as RTP to a local UDP socket, whose packets are written into a werift track (werift sets
// the SSRC and payload type the SFU negotiated). Published through WeriftMediaPeer, this is a person with a
// real camera and microphone as far as the server can tell.
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { MediaStreamTrack, RtpPacket } from 'werift';

export const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
export const FFPROBE = FFMPEG.replace(/ffmpeg$/, 'ffprobe');

export interface FfmpegSource {
  track: MediaStreamTrack;
  /** The local UDP port ffmpeg sends to. */
  port: number;
  /** RTP packets received from ffmpeg so far. */
  packets(): number;
  stop(): void;
}

const ARGS = {
  video: (port: number) => [
    '-re',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=15',
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    // A key frame every 10 frames: ffmpeg cannot answer the SFU's key frame requests.
    '-g',
    '10',
    '-b:v',
    '300k',
    '-f',
    'rtp',
    `rtp://127.0.0.1:${port}?pkt_size=1200`,
  ],
  // H264 as a browser that encodes only that would send it: baseline (42e01f), packetization-mode 1 (ffmpeg's
  // RTP muxer fragments with FU-A), parameter sets in-band before every key frame.
  h264: (port: number) => [
    '-re',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=15',
    '-c:v',
    'libx264',
    '-profile:v',
    'baseline',
    '-level',
    '3.1',
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-g',
    '10',
    '-b:v',
    '300k',
    '-f',
    'rtp',
    `rtp://127.0.0.1:${port}?pkt_size=1200`,
  ],
  audio: (port: number) => [
    '-re',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-c:a',
    'libopus',
    '-b:a',
    '48k',
    '-f',
    'rtp',
    `rtp://127.0.0.1:${port}?pkt_size=1200`,
  ],
};

/** The same stream sent from a file made by encodeClip(), looped and not re-encoded: many sources, little CPU. */
const loopArgs = (clip: string) => (port: number) => [
  '-re',
  '-stream_loop',
  '-1',
  '-i',
  clip,
  '-c',
  'copy',
  '-f',
  'rtp',
  `rtp://127.0.0.1:${port}?pkt_size=1200`,
];

/** Encodes `seconds` of the test source of `kind` into `file` (WebM), for startFfmpegSource's `clip`. */
export async function encodeClip(kind: 'audio' | 'video', file: string, seconds: number): Promise<void> {
  const live = ARGS[kind](0);
  const input = live.slice(1, live.indexOf('-f', 4)); // drop -re and the RTP output
  await run(FFMPEG, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-y',
    ...input,
    '-t',
    String(seconds),
    file,
  ]);
}

/** Sources still running, stopped when this process exits whatever the test did. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `h264`: a video track sent as H264 (publish it with `video/H264`); `video` is VP8. */
export async function startFfmpegSource(
  kind: 'audio' | 'video' | 'h264',
  clip?: string,
): Promise<FfmpegSource> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const track = new MediaStreamTrack({ kind: kind === 'audio' ? 'audio' : 'video' });
  let packets = 0;
  socket.on('message', (buffer) => {
    // RTCP (sender reports) shares the port range; only RTP goes into the track.
    const pt = buffer[1]! & 0x7f;
    if (buffer[1]! >= 200 && buffer[1]! <= 206) return;
    if (pt >= 72 && pt <= 76) return;
    packets++;
    track.writeRtp(RtpPacket.deSerialize(buffer));
  });
  const { port } = socket.address();
  // stderr is piped, not inherited: a source left running by a test process that died must not hold the test
  // runner's pipe open (the runner would wait for it forever).
  const child: ChildProcess = spawn(
    FFMPEG,
    ['-hide_banner', '-loglevel', 'error', '-nostdin', ...(clip ? loopArgs(clip) : ARGS[kind])(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stopped = false;
  return {
    track,
    port,
    packets: () => packets,
    stop() {
      if (stopped) return;
      stopped = true;
      child.kill('SIGKILL');
      socket.close();
    },
  };
}

/** What ffprobe says about a media file: its streams' codecs, its duration (s), and measures of its content. */
export async function probe(file: string): Promise<{ codecs: string[]; durationSec: number }> {
  const out = await run(FFPROBE, [
    '-v',
    'error',
    '-show_entries',
    'format=duration:stream=codec_name',
    '-of',
    'json',
    file,
  ]);
  const json = JSON.parse(out) as { format: { duration?: string }; streams: { codec_name: string }[] };
  return {
    codecs: json.streams.map((s) => s.codec_name),
    durationSec: Number.parseFloat(json.format.duration ?? 'NaN'),
  };
}

/** The mean volume of an audio file in dB (about -91 for silence), from ffmpeg's volumedetect. */
export async function meanVolumeDb(file: string): Promise<number> {
  const out = await run(
    FFMPEG,
    ['-hide_banner', '-nostdin', '-i', file, '-af', 'volumedetect', '-f', 'null', '-'],
    true,
  );
  const match = /mean_volume:\s*(-?[\d.]+) dB/.exec(out);
  if (!match) throw new Error(`volumedetect found no audio in ${file}`);
  return Number(match[1]);
}

/** How many distinct frames a video file has (frames identical to their predecessor are not counted). */
export async function distinctFrames(file: string): Promise<number> {
  const out = await run(
    FFMPEG,
    ['-hide_banner', '-nostdin', '-i', file, '-vf', 'mpdecimate', '-f', 'null', '-'],
    true,
  );
  const frames = [...out.matchAll(/frame=\s*(\d+)/g)].at(-1)?.[1];
  return Number(frames ?? 0);
}

function run(command: string, args: string[], stderr = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(stderr ? err : out) : reject(new Error(`${command} failed: ${err.slice(-500)}`)),
    );
  });
}
