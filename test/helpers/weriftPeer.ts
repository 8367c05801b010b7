// A headless media participant for tests: the real mediasoup-client (Chrome111 handler) running on
// werift's RTCPeerConnection polyfill, talking the Tandem media protocol. It publishes synthetic RTP and
// counts what it receives per consumer.
import {
  MEDIA_PROTOCOL_VERSION,
  type MediaReplyData,
  type ProducerSource,
  type Role,
  type RtpCapabilities,
} from '@tandem/shared';
import { Device, type types as mc } from 'mediasoup-client';
import { Chrome111 } from 'mediasoup-client/handlers/Chrome111';
import {
  MediaStreamTrack,
  type RTCRtpHeaderExtensionParameters,
  type RTCRtpSender,
  useAbsSendTime,
  useAudioLevelIndication,
  useH264,
  useOPUS,
  usePCMU,
  useSdesMid,
  useVP8,
} from 'werift';
import { createDummyRegister, installPolyfill } from 'werift/polyfill';
import type { StorageEngine } from '../../server/src/storage/Storage.ts';
import { startTestServerOn } from './engineServer.ts';
import type { TestServer } from './server.ts';
import { waitFor } from './waitFor.ts';
import { type PumpOptions, RtpPump } from './weriftRtp.ts';
import { MediaSignalClient } from './weriftSignal.ts';

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

let polyfillInstalled = false;
function ensurePolyfill(): void {
  if (polyfillInstalled) return;
  polyfillInstalled = true;
  const headerExtensions: {
    audio: RTCRtpHeaderExtensionParameters[];
    video: RTCRtpHeaderExtensionParameters[];
  } = {
    audio: [useSdesMid(), useAudioLevelIndication()],
    video: [useSdesMid(), useAbsSendTime()],
  };
  // werift's default codecs (Opus, PCMU; VP8 first, so it stays what a track is sent as) and H264 baseline
  // (packetization-mode 1), which a track is sent as when asked (publishTrack's `mimeType`).
  const codecs = { audio: [useOPUS(), usePCMU()], video: [useVP8(), useH264()] };
  installPolyfill({
    mediaRegister: [createDummyRegister()],
    peerConnectionConfig: { headerExtensions, codecs },
  });
}

export interface JoinOptions {
  sub: string;
  role: Role;
  /** The token's class (default class1). */
  cls?: string;
  /** The class named in the join request (default: the token's). */
  classId?: string;
  /** Join with this token instead of a fresh one-hour one for sub, role and cls. */
  token?: string;
  /** The class's call to join (`main` when left out, or `pair:<key>`). */
  room?: string;
  /** Name the class in the socket's URL (`/media?class=`), as the browser does: a cluster node forwards it. */
  routed?: boolean;
  /** Use only the server's UDP ICE candidates (media provably over UDP, not ICE-TCP). */
  udpOnly?: boolean;
}

export interface Published {
  producerId: string;
  producer: mc.Producer;
  pump: RtpPump;
}

export interface Received {
  consumerId: string;
  producerId: string;
  consumer: mc.Consumer;
  packets: number;
  bytes: number;
  firstPacketAt: number | undefined;
}

const DEFAULT_PUMPS: Record<ProducerSource, Omit<PumpOptions, 'audioLevelExtensionId'>> = {
  mic: { kind: 'audio', packetsPerSecond: 50, payloadBytes: 80 },
  'screen-audio': { kind: 'audio', packetsPerSecond: 50, payloadBytes: 80, audioLevelDbov: 127 },
  camera: { kind: 'video', packetsPerSecond: 30, payloadBytes: 900 },
  screen: { kind: 'video', packetsPerSecond: 15, payloadBytes: 1100 },
};

export class WeriftMediaPeer {
  readonly published = new Map<ProducerSource, Published>();
  readonly received = new Map<string, Received>();
  /** The server port of the receive transport's first ICE candidate: which worker serves this viewer. */
  recvPort: number | undefined;
  /** The same for the send transport. */
  sendPort: number | undefined;
  #send: mc.Transport | undefined;
  #recv: mc.Transport | undefined;

  private constructor(
    readonly signal: MediaSignalClient,
    readonly device: Device,
    readonly joined: MediaReplyData<'join'>,
    private readonly udpOnly: boolean,
  ) {
    // Like a real client: when the server closes one of our producers, stop sending it.
    signal.listeners.push((n) => {
      if (n.event !== 'producerClosed' || n.data.peerId !== this.peerId) return;
      for (const [source, published] of this.published) {
        if (published.producerId !== n.data.producerId) continue;
        published.pump.stop();
        published.producer.close();
        this.published.delete(source);
      }
    });
  }

  get peerId(): string {
    return this.joined.you.peerId;
  }

  get sendTransport(): mc.Transport | undefined {
    return this.#send;
  }

  get recvTransport(): mc.Transport | undefined {
    return this.#recv;
  }

  static async join(
    server: Pick<TestServer, 'wsUrl' | 'token'>,
    opts: JoinOptions,
  ): Promise<WeriftMediaPeer> {
    ensurePolyfill();
    const cls = opts.cls ?? 'class1';
    const classId = opts.classId ?? cls;
    const signal = await MediaSignalClient.connect(server.wsUrl, opts.routed ? { classId } : {});
    try {
      const { rtpCapabilities } = await signal.request('getRouterRtpCapabilities');
      const device = new Device({ handlerFactory: Chrome111.createFactory({}) });
      await device.load({ routerRtpCapabilities: rtpCapabilities as mc.RtpCapabilities });
      const token = opts.token ?? (await server.token({ sub: opts.sub, role: opts.role, cls }));
      const joined = await signal.request('join', {
        protocol: MEDIA_PROTOCOL_VERSION,
        token,
        classId,
        ...(opts.room ? { room: opts.room } : {}),
        rtpCapabilities: device.rtpCapabilities as RtpCapabilities,
      });
      return new WeriftMediaPeer(signal, device, joined, opts.udpOnly ?? false);
    } catch (error) {
      // Nobody holds a peer that failed to join: its socket goes with it.
      signal.close();
      throw error;
    }
  }

  async publish(source: ProducerSource, pump: Partial<PumpOptions> = {}): Promise<Published> {
    const transport = await this.#sendTransport();
    const options = { ...DEFAULT_PUMPS[source], ...pump };
    const track = new MediaStreamTrack({ kind: options.kind });
    const producer = await transport.produce({ track: track as never, appData: { source } });
    const audioLevelExtensionId = producer.rtpParameters.headerExtensions?.find(
      (e) => e.uri === AUDIO_LEVEL_URI,
    )?.id;
    const published = {
      producerId: producer.id,
      producer,
      pump: new RtpPump(track, {
        ...options,
        ...(audioLevelExtensionId ? { audioLevelExtensionId } : {}),
      }).start(),
    };
    // Answer the SFU's keyframe requests (sent when a consumer resumes) like a browser encoder would.
    const sender = producer.rtpSender as unknown as RTCRtpSender | undefined;
    sender?.onPictureLossIndication.subscribe(() => published.pump.requestKeyframe());
    this.published.set(source, published);
    return published;
  }

  /**
   * Publishes a track its caller feeds (real media, e.g. ffmpegRtp.ts); the caller stops its source.
   * `mimeType`: the codec to send it as (e.g. `video/H264`), else the first one both sides have.
   */
  async publishTrack(
    source: ProducerSource,
    track: MediaStreamTrack,
    mimeType?: string,
  ): Promise<mc.Producer> {
    const transport = await this.#sendTransport();
    const codec = mimeType
      ? this.device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase())
      : undefined;
    if (mimeType && !codec) throw new Error(`the device cannot send ${mimeType}`);
    return transport.produce({ track: track as never, appData: { source }, ...(codec ? { codec } : {}) });
  }

  async consume(producerId: string): Promise<Received> {
    const transport = await this.#recvTransport();
    const reply = await this.signal.request('consume', { producerId });
    const consumer = await transport.consume({
      id: reply.consumerId,
      producerId,
      kind: reply.kind,
      rtpParameters: reply.rtpParameters as mc.RtpParameters,
    });
    const received: Received = {
      consumerId: reply.consumerId,
      producerId,
      consumer,
      packets: 0,
      bytes: 0,
      firstPacketAt: undefined,
    };
    (consumer.track as unknown as MediaStreamTrack).onReceiveRtp.subscribe((packet) => {
      received.firstPacketAt ??= performance.now();
      received.packets++;
      received.bytes += packet.payload.length;
    });
    this.received.set(producerId, received);
    await this.signal.request('resumeConsumer', { consumerId: reply.consumerId });
    return received;
  }

  close(): void {
    for (const { pump } of this.published.values()) pump.stop();
    this.#send?.close();
    this.#recv?.close();
    this.signal.close();
  }

  async #sendTransport(): Promise<mc.Transport> {
    this.#send ??= await this.#createTransport('send');
    return this.#send;
  }

  async #recvTransport(): Promise<mc.Transport> {
    this.#recv ??= await this.#createTransport('recv');
    return this.#recv;
  }

  async #createTransport(direction: 'send' | 'recv'): Promise<mc.Transport> {
    const { signal } = this;
    const t = await signal.request('createTransport', { direction });
    const iceCandidates = this.udpOnly
      ? t.iceCandidates.filter((c) => c.protocol === 'udp')
      : t.iceCandidates;
    if (direction === 'recv') this.recvPort = iceCandidates[0]?.port;
    else this.sendPort = iceCandidates[0]?.port;
    const options = {
      id: t.transportId,
      iceParameters: t.iceParameters,
      iceCandidates: iceCandidates as mc.IceCandidate[],
      dtlsParameters: t.dtlsParameters as mc.DtlsParameters,
    };
    const transport =
      direction === 'send'
        ? this.device.createSendTransport(options)
        : this.device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      signal
        .request('connectTransport', { transportId: t.transportId, dtlsParameters })
        .then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const source = appData.source as ProducerSource;
      signal
        .request('produce', {
          transportId: t.transportId,
          kind,
          source,
          rtpParameters: rtpParameters as never,
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    return transport;
  }
}

/** A test server with real media: one worker, loopback, free ports. */
export function startMediaServer(
  env: Record<string, string> = {},
  engine: StorageEngine = 'sqlite',
): Promise<TestServer> {
  return startTestServerOn(engine, {
    MEDIA_ENABLED: 'true',
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    ...env,
  });
}

/** Resolves with `read()` once it has not changed for `quietMs` (e.g. a packet count that stopped). */
export async function waitForSteady(
  read: () => number,
  quietMs: number,
  timeoutMs = 10_000,
): Promise<number> {
  let value = read();
  let since = performance.now();
  return waitFor(
    () => {
      const now = read();
      if (now !== value) {
        value = now;
        since = performance.now();
        return false;
      }
      return performance.now() - since >= quietMs ? { value } : false;
    },
    { timeoutMs, message: 'value to stop changing' },
  ).then((r) => r.value);
}
