// Synthetic RTP for werift tracks: Opus-sized audio packets carrying the audio level header extension
// (so mediasoup's observers see a speaker) and VP8 frames mediasoup parses as key or delta frames.
import { type MediaStreamTrack, RtpHeader, RtpPacket } from 'werift';

export interface PumpOptions {
  kind: 'audio' | 'video';
  packetsPerSecond: number;
  payloadBytes: number;
  /** Audio: id of urn:ietf:params:rtp-hdrext:ssrc-audio-level in the producer's rtpParameters. */
  audioLevelExtensionId?: number;
  /** Audio: level in -dBov (0 loudest, 127 silent). */
  audioLevelDbov?: number;
  /** Video: every Nth frame is a keyframe (1 = all). */
  keyframeEvery?: number;
}

const TICK_MS = 10;
const OPUS_SAMPLES_PER_PACKET = 960;
const VP8_CLOCK_RATE = 90_000;

/** Writes packets into a track at a steady rate until stopped. */
export class RtpPump {
  sent = 0;
  bytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #sequenceNumber = Math.floor(Math.random() * 0xffff);
  #keyframeRequested = false;

  constructor(
    private readonly track: MediaStreamTrack,
    private readonly options: PumpOptions,
  ) {}

  start(): this {
    if (this.#timer) return this;
    this.#startedAt = performance.now();
    const startCount = this.sent;
    this.#timer = setInterval(() => {
      const due = Math.floor(((performance.now() - this.#startedAt) / 1000) * this.options.packetsPerSecond);
      while (this.sent - startCount < due) this.#writeOne();
    }, TICK_MS);
    return this;
  }

  /** The next video frame will be a keyframe (what a browser does on a PLI from the SFU). */
  requestKeyframe(): void {
    this.#keyframeRequested = true;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #writeOne(): void {
    const n = this.sent;
    const packet = this.options.kind === 'audio' ? this.#audioPacket(n) : this.#videoPacket(n);
    this.#sequenceNumber = (this.#sequenceNumber + 1) & 0xffff;
    this.track.writeRtp(packet);
    this.sent++;
    this.bytes += packet.payload.length;
  }

  #audioPacket(n: number): RtpPacket {
    const { audioLevelExtensionId: extId, audioLevelDbov = 20, payloadBytes } = this.options;
    const header = new RtpHeader({
      sequenceNumber: this.#sequenceNumber,
      timestamp: (n * OPUS_SAMPLES_PER_PACKET) >>> 0,
      marker: false,
      ...(extId
        ? { extension: true, extensions: [{ id: extId, payload: Buffer.from([0x80 | audioLevelDbov]) }] }
        : {}),
    });
    return new RtpPacket(header, Buffer.alloc(payloadBytes, 0xab));
  }

  #videoPacket(n: number): RtpPacket {
    const { keyframeEvery = 1, payloadBytes, packetsPerSecond } = this.options;
    const header = new RtpHeader({
      sequenceNumber: this.#sequenceNumber,
      timestamp: Math.floor((n * VP8_CLOCK_RATE) / packetsPerSecond) >>> 0,
      marker: true,
    });
    const keyframe = this.#keyframeRequested || n % keyframeEvery === 0;
    this.#keyframeRequested = false;
    return new RtpPacket(header, vp8Frame(keyframe, payloadBytes));
  }
}

/** One VP8 frame in one packet: payload descriptor (start of partition 0) and a frame tag. */
export function vp8Frame(keyframe: boolean, size: number): Buffer {
  const payload = Buffer.alloc(Math.max(size, 11), 0x5a);
  payload[0] = 0x10; // S=1, partition 0
  payload[1] = keyframe ? 0x50 : 0x51; // frame tag: bit 0 clear means keyframe
  payload[2] = 0x01;
  payload[3] = 0x00;
  // Keyframe start code and 640x480.
  payload.set([0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01], 4);
  return payload;
}
