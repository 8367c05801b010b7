// One person's call in a class: joins the SFU through /media, publishes microphone, camera (simulcast) and
// screen, consumes everyone else, follows the server's notifications, refreshes its token when the server
// asks, and rejoins with backoff when the connection drops. The UI reads `state` (immutable snapshots) and
// calls the methods.
import { CLOSE_CODES, MEDIA_PROTOCOL_VERSION, type ProducerInfo } from '@tandem/shared';
import { Device, type types } from 'mediasoup-client';
import { backoffDelayMs } from '../collab/backoff.ts';
import { describeConnection, refusalFor } from '../collab/connectionState.ts';
import { handleMediaNotification, type NotificationHost } from './handleMediaNotification.ts';
import { MediaRequestError, MediaSignaling } from './MediaSignaling.ts';
import { MediaTokenRefresher } from './MediaTokenRefresher.ts';
import * as S from './mediaState.ts';
import { createMediaTransport } from './mediaTransport.ts';
import { CAMERA_ENCODINGS } from './simulcast.ts';

type Listener = (state: S.MediaState) => void;
const SOURCE_OF: Record<S.LocalSourceName, 'mic' | 'camera' | 'screen'> = {
  mic: 'mic',
  camera: 'camera',
  screen: 'screen',
};

export interface MediaSessionOptions {
  url: string;
  classId: string;
  /** Which call of the class (`main`, or `pair:<key>` on a pair page); the server checks it. */
  room?: string;
  /** The latest token; read on every join and when the server asks for a fresh one. */
  token(): string | null;
  /** Called when the token source gets a new token (an embed host's setToken). */
  subscribeToken?(listener: () => void): () => void;
}

export class MediaSession {
  #state: S.MediaState = S.INITIAL_MEDIA_STATE;
  readonly #listeners = new Set<Listener>();
  #signaling: MediaSignaling | null = null;
  #device: Device | null = null;
  #send: types.Transport | null = null;
  #recv: types.Transport | null = null;
  /** Set as soon as the join reply is in; every consume waits on it (see #consume). */
  #recvReady: Promise<types.Transport> | null = null;
  readonly #producers = new Map<S.LocalSourceName, types.Producer>();
  readonly #consumers = new Map<string, types.Consumer>();
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #wanted = false;
  /** The server asked us to join again (its worker died, the class moved to another node): its close is no refusal. */
  #rejoinAsked = false;
  #unsubscribeToken: (() => void) | null = null;
  readonly #refresher = new MediaTokenRefresher({
    token: () => this.options.token(),
    send: async (token) => this.#requireSignaling().request('refreshToken', { token }),
    onFailed: (error) => {
      if (error instanceof MediaRequestError && error.code === 'closed') return;
      const why = error instanceof Error ? error.message : String(error);
      this.#set({ ...this.#state, notice: `Your sign-in for the call could not be renewed: ${why}` });
    },
  });
  readonly #notificationHost: NotificationHost = {
    state: () => this.#state,
    set: (next) => this.#set(next),
    producers: this.#producers,
    consumers: this.#consumers,
    consume: (producer) => this.#consume(producer),
    refreshToken: () => this.#refresher.expiring(),
    reconnect: (reason) => {
      this.#rejoinAsked = true;
      this.#signaling?.close(4000, reason);
    },
    leave: () => this.leave(),
  };

  constructor(private readonly options: MediaSessionOptions) {}

  get state(): S.MediaState {
    return this.#state;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(next: S.MediaState): void {
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }

  /** Joins the call; local tracks given here (or published before a reconnect) are sent once joined. */
  async join(tracks: Partial<Record<S.LocalSourceName, MediaStreamTrack>> = {}): Promise<void> {
    this.#wanted = true;
    this.#unsubscribeToken ??= this.options.subscribeToken?.(() => this.#handleTokenChanged()) ?? null;
    for (const [name, track] of Object.entries(tracks) as [S.LocalSourceName, MediaStreamTrack][]) {
      this.#set(S.withLocal(this.#state, name, { track, producerId: null, paused: false }));
    }
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const token = this.options.token();
    if (!token)
      return this.#set({ ...this.#state, phase: 'refused', error: 'Sign in again to join the call.' });
    this.#set({ ...this.#state, phase: this.#attempt > 0 ? 'reconnecting' : 'connecting', error: null });
    let opened: MediaSignaling | null = null;
    try {
      const signaling = await MediaSignaling.open(this.options.url);
      opened = signaling;
      this.#signaling = signaling;
      signaling.onNotification = (n) => void handleMediaNotification(this.#notificationHost, n);
      signaling.onClose = (code, reason) => this.#handleClose(signaling, code, reason);
      const { rtpCapabilities } = await signaling.request('getRouterRtpCapabilities');
      const device = new Device();
      await device.load({ routerRtpCapabilities: rtpCapabilities as types.RtpCapabilities });
      this.#device = device;
      const joined = await signaling.request('join', {
        protocol: MEDIA_PROTOCOL_VERSION,
        token,
        classId: this.options.classId,
        ...(this.options.room ? { room: this.options.room } : {}),
        rtpCapabilities: device.rtpCapabilities as never,
      });
      this.#attempt = 0;
      this.#refresher.joinedWith(token);
      let state: S.MediaState = {
        ...this.#state,
        phase: 'joined',
        self: joined.you,
        policy: joined.policy,
        peers: [],
      };
      for (const peer of joined.peers) state = S.withPeer(state, peer);
      this.#set(state);
      // Set before any notification can be handled: they arrive in later socket events than the reply.
      this.#recvReady = this.#createTransport('recv');
      this.#recv = await this.#recvReady;
      for (const producer of joined.producers) void this.#consume(producer);
      for (const name of ['mic', 'camera', 'screen'] as const) {
        const { track, paused } = this.#state.local[name];
        if (track && track.readyState === 'live') await this.publish(name, track, paused);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Once the socket was open, closing it lets #handleClose decide about retrying; before that, retry here.
      if (!opened) this.#scheduleRetry(message);
      else if (this.#signaling === opened) opened.close(4000, 'setup failed');
      if (this.#state.error === null) this.#set({ ...this.#state, error: message });
    }
  }

  #scheduleRetry(reason: string | null): void {
    if (!this.#wanted) return;
    clearTimeout(this.#retryTimer);
    // Keep our tracks (not their producers) so they are published again after rejoining.
    const kept = { ...this.#state.local };
    for (const name of ['mic', 'camera', 'screen'] as const) kept[name] = { ...kept[name], producerId: null };
    const delay = backoffDelayMs(this.#attempt++);
    this.#set({
      ...this.#state,
      phase: 'reconnecting',
      peers: [],
      local: kept,
      activeSpeaker: null,
      speaking: [],
      error: reason,
    });
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }

  #createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const device = this.#device;
    if (!device) throw new Error('media device not loaded');
    return createMediaTransport(this.#requireSignaling(), device, direction, () =>
      this.#signaling?.close(4000, 'ice failed'),
    );
  }

  /**
   * Consumes another person's producer. A producer announced by `producerAdded` may arrive between the join
   * reply and the reply to createTransport('recv'): the server sends the notifications it held during the
   * join right after the reply, and anyone producing in that round trip is announced only then, not in the
   * reply's producer list. Returning early there (as this once did when the receive transport was not yet
   * set) lost that camera or microphone for good, as no later message names the producer again; so each
   * consume waits for the receive transport instead.
   */
  async #consume(producer: ProducerInfo): Promise<void> {
    const recvReady = this.#recvReady;
    if (producer.peerId === this.#state.self?.peerId || !recvReady) return;
    const signaling = this.#requireSignaling();
    try {
      const recv = await recvReady;
      const reply = await signaling.request('consume', { producerId: producer.producerId });
      const consumer = await recv.consume({
        id: reply.consumerId,
        producerId: reply.producerId,
        kind: reply.kind,
        rtpParameters: reply.rtpParameters as types.RtpParameters,
      });
      this.#consumers.set(reply.consumerId, consumer);
      await signaling.request('resumeConsumer', { consumerId: reply.consumerId });
      this.#set(
        S.withStream(this.#state, reply.peerId, {
          consumerId: reply.consumerId,
          producerId: reply.producerId,
          source: reply.source,
          track: consumer.track,
          paused: reply.producerPaused,
          mutedByStaff: producer.mutedByStaff,
        }),
      );
    } catch {
      // The producer may have closed meanwhile; its producerClosed notification tidies up.
    }
  }

  async publish(name: S.LocalSourceName, track: MediaStreamTrack, paused = false): Promise<void> {
    this.#set(S.withLocal(this.#state, name, { track, paused }));
    if (this.#state.phase !== 'joined') return; // sent once joined
    this.#send ??= await this.#createTransport('send');
    this.#producers.get(name)?.close();
    const producer = await this.#send.produce({
      track,
      appData: { source: SOURCE_OF[name] },
      stopTracks: false,
      ...(name === 'camera' ? { encodings: [...CAMERA_ENCODINGS] } : {}),
      ...(name === 'mic' ? { codecOptions: { opusDtx: true, opusFec: true } } : {}),
    });
    this.#producers.set(name, producer);
    if (paused) {
      producer.pause();
      await this.#signaling?.request('pauseProducer', { producerId: producer.id });
    }
    track.addEventListener('ended', () => void this.unpublish(name), { once: true });
    this.#set(S.withLocal(this.#state, name, { producerId: producer.id, paused, mutedByStaff: false }));
  }

  async setPaused(name: S.LocalSourceName, paused: boolean): Promise<void> {
    const producer = this.#producers.get(name);
    this.#set(S.withLocal(this.#state, name, { paused, ...(paused ? {} : { mutedByStaff: false }) }));
    if (!producer) return;
    if (paused) producer.pause();
    else producer.resume();
    await this.#signaling?.request(paused ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
  }

  async unpublish(name: S.LocalSourceName): Promise<void> {
    const producer = this.#producers.get(name);
    this.#producers.delete(name);
    this.#state.local[name].track?.stop();
    this.#set(S.withLocal(this.#state, name, null));
    if (!producer) return;
    producer.close();
    await this.#signaling?.request('closeProducer', { producerId: producer.id }).catch(() => undefined);
  }

  setPreferredLayer(consumerId: string, spatialLayer: number): void {
    void this.#signaling?.request('setPreferredLayers', { consumerId, spatialLayer }).catch(() => undefined);
  }

  /** Bytes received so far per kind (from the receive transport's inbound-rtp stats). */
  async receivedBytes(): Promise<{ audio: number; video: number }> {
    const totals = { audio: 0, video: 0 };
    const report = await this.#recv?.getStats();
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && (s.kind === 'audio' || s.kind === 'video'))
        totals[s.kind] += Number(s.bytesReceived ?? 0);
    });
    return totals;
  }

  consumerStats(consumerId: string): Promise<RTCStatsReport> | null {
    return this.#consumers.get(consumerId)?.getStats() ?? null;
  }

  leave(): void {
    this.#wanted = false;
    clearTimeout(this.#retryTimer);
    this.#unsubscribeToken?.();
    this.#unsubscribeToken = null;
    for (const name of ['mic', 'camera', 'screen'] as const) this.#state.local[name].track?.stop();
    void this.#signaling?.request('leave').catch(() => undefined);
    this.#teardown();
    this.#signaling?.close(1000, 'left');
    this.#signaling = null;
    this.#set({ ...S.INITIAL_MEDIA_STATE, phase: 'left' });
  }

  #teardown(): void {
    for (const consumer of this.#consumers.values()) consumer.close();
    this.#consumers.clear();
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
    this.#send?.close();
    this.#recv?.close();
    this.#send = null;
    this.#recv = null;
    this.#recvReady = null;
  }

  #requireSignaling(): MediaSignaling {
    if (!this.#signaling) throw new MediaRequestError('closed', 'not connected to the media server');
    return this.#signaling;
  }

  #handleClose(signaling: MediaSignaling, code: number, reason: string): void {
    if (signaling !== this.#signaling) return;
    this.#signaling = null;
    const rejoin = this.#rejoinAsked;
    this.#rejoinAsked = false;
    this.#teardown();
    if (!this.#wanted) return;
    const refusal = refusalFor(code, reason);
    if (refusal?.reason === 'expired') {
      // Said the way the rest of the page says it; a new token from the token source rejoins.
      this.#wanted = false;
      this.#set({ ...this.#state, phase: 'expired', error: describeConnection(refusal), peers: [] });
      return;
    }
    if (refusal) {
      this.#wanted = false;
      this.#set({
        ...this.#state,
        phase: 'refused',
        error: reason || 'The media server refused your sign-in.',
        peers: [],
      });
      return;
    }
    if (code === CLOSE_CODES.unavailable && !rejoin) {
      this.#wanted = false;
      this.#set({
        ...this.#state,
        phase: 'unavailable',
        error: reason || 'Video is not available on this server.',
        peers: [],
      });
      return;
    }
    this.#scheduleRetry(reason || null);
  }

  #handleTokenChanged(): void {
    if (this.#state.phase !== 'expired') {
      this.#refresher.tokenChanged();
      return;
    }
    this.#wanted = true;
    this.#attempt = 0;
    void this.#connect();
  }

  clearNotice(): void {
    this.#set({ ...this.#state, notice: null });
  }
}
