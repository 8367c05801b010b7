// One call of a class (its main room or a pair's room): its Routers (one where producers live, more on other
// workers once it has many viewers: RouterSet.ts), the peers in it, their producers as the room sees them, what
// staff set for it (student policy, grants), and the audio observers. Knows nothing about sockets: peers are
// reached through their PeerLink.
import {
  CLOSE_CODES,
  formatRoomScope,
  type MediaEventName,
  type MediaNotificationData,
  type PeerLeftReason,
  type ProducerClosedReason,
  type ProducerInfo,
  type ProducerSource,
  type PublishGrant,
  type PublishPolicy,
  type RoomScope,
} from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { MEDIA_CODECS } from './codecs.ts';
import { assertNever } from './mediaErrors.ts';
import type { Peer, ProducerEntry } from './Peer.ts';
import { RouterSet, type SlotPicker } from './RouterSet.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import type { WorkerSlot } from './WorkerPool.ts';

export type RoomCloseReason =
  | { kind: 'empty' }
  | { kind: 'worker-died' }
  | { kind: 'ended'; reason: string }
  /** The class is served elsewhere now (a cluster handed it over): everyone is told to join again. */
  | { kind: 'moved'; reason: string }
  | { kind: 'shutdown' };

export type ClassRoomEvents = {
  peerJoined: [Peer];
  peerLeft: [Peer, PeerLeftReason];
  activeSpeaker: [{ peer: Peer | undefined; producerId: string | undefined }];
  closed: [RoomCloseReason];
};

/**
 * What staff set for a room: the student policy and per-person grants (user id -> grant). The registry keeps
 * settings staff changed while the room is closed, until the class's media ends.
 */
export interface RoomSettings {
  policy: PublishPolicy;
  readonly grants: Map<string, PublishGrant>;
  /** Staff changed something: kept when the room closes. */
  changedByStaff: boolean;
}

export interface ClassRoomOptions {
  classId: string;
  scope: RoomScope;
  /** The registry's key of this room (one per class and scope). */
  key: string;
  slot: WorkerSlot;
  /** Other workers the room may spread its viewers to, and how many viewers one Router takes first. */
  spread: { picker: SlotPicker; viewersPerRouter: number };
  settings: RoomSettings;
  maxPeers: number;
  log: Logger;
}

export interface ProducerAppData extends ms.AppData {
  peerId: string;
  source: ProducerSource;
}

const AUDIO_LEVEL_INTERVAL_MS = 800;
const ACTIVE_SPEAKER_INTERVAL_MS = 300;

export class ClassRoom extends TypedEmitter<ClassRoomEvents> {
  readonly classId: string;
  readonly scope: RoomScope;
  readonly key: string;
  readonly maxPeers: number;
  readonly log: Logger;
  readonly peers = new Map<string, Peer>();
  readonly settings: RoomSettings;
  /** The room's Routers over the node's workers; `router` is the first, where producers live. */
  readonly routers: RouterSet;
  #closed = false;

  static async create(options: ClassRoomOptions): Promise<ClassRoom> {
    const router = await options.slot.worker.createRouter({
      mediaCodecs: MEDIA_CODECS,
      appData: routerAppData(options),
    });
    try {
      const audioLevels = await router.createAudioLevelObserver({
        maxEntries: 10,
        threshold: -70,
        interval: AUDIO_LEVEL_INTERVAL_MS,
      });
      const activeSpeaker = await router.createActiveSpeakerObserver({
        interval: ACTIVE_SPEAKER_INTERVAL_MS,
      });
      return new ClassRoom(options, router, audioLevels, activeSpeaker);
    } catch (error) {
      router.close();
      throw error;
    }
  }

  private constructor(
    options: ClassRoomOptions,
    readonly router: ms.Router,
    readonly audioLevels: ms.AudioLevelObserver,
    readonly activeSpeaker: ms.ActiveSpeakerObserver,
    readonly slot: WorkerSlot = options.slot,
  ) {
    super((event, error) => options.log.error({ err: error, event }, 'class room listener failed'));
    this.classId = options.classId;
    this.scope = options.scope;
    this.key = options.key;
    this.maxPeers = options.maxPeers;
    this.settings = options.settings;
    this.log = options.log;
    this.routers = new RouterSet({
      primary: { router, slot: options.slot },
      picker: options.spread.picker,
      viewersPerRouter: options.spread.viewersPerRouter,
      appData: routerAppData(options),
      log: options.log,
      onViewerLost: (peerId) => this.#handleViewerLost(peerId),
    });
    router.on('workerclose', () => this.close({ kind: 'worker-died' }));
    audioLevels.on('volumes', (volumes) => {
      const levels = volumes.map(({ producer, volume }) => ({
        peerId: (producer.appData as ProducerAppData).peerId,
        producerId: producer.id,
        volume,
      }));
      this.broadcast('audioLevels', { levels }, { droppable: true });
    });
    audioLevels.on('silence', () => this.broadcast('audioLevels', { levels: [] }, { droppable: true }));
    activeSpeaker.on('dominantspeaker', ({ producer }) => {
      const peer = this.peers.get((producer.appData as ProducerAppData).peerId);
      this.broadcast('activeSpeaker', { peerId: peer?.id ?? null, producerId: producer.id });
      this.emit('activeSpeaker', { peer, producerId: producer.id });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get peerCount(): number {
    return this.peers.size;
  }

  /** The student publish policy of this room. */
  get policy(): PublishPolicy {
    return this.settings.policy;
  }

  /** `main` or `pair:<key>`. */
  get name(): string {
    return formatRoomScope(this.scope);
  }

  grantOf(userId: string): PublishGrant | null {
    return this.settings.grants.get(userId) ?? null;
  }

  peer(peerId: string): Peer {
    const peer = this.peers.get(peerId);
    if (!peer) throw new AppError('not_found', `no peer ${peerId} in this class`);
    return peer;
  }

  peerOfUser(userId: string): Peer | undefined {
    for (const peer of this.peers.values()) if (peer.identity.id === userId) return peer;
    return undefined;
  }

  addPeer(peer: Peer): void {
    if (this.#closed) throw new AppError('unavailable', 'the class media session just closed; join again');
    peer.grant = this.grantOf(peer.identity.id);
    this.peers.set(peer.id, peer);
    this.slot.load++;
    this.broadcast('peerJoined', { peer: peer.info() }, { except: peer });
    this.emit('peerJoined', peer);
  }

  /** Idempotent: false when the peer was not (or no longer) in the room. */
  removePeer(peer: Peer, reason: PeerLeftReason): boolean {
    if (this.peers.get(peer.id) !== peer) return false;
    this.peers.delete(peer.id);
    this.slot.load--;
    // Closing the peer closes its producers; each tells the others through its close listener.
    peer.close();
    this.broadcast('peerLeft', { peerId: peer.id, reason });
    this.emit('peerLeft', peer, reason);
    return true;
  }

  broadcast<E extends MediaEventName>(
    event: E,
    data: MediaNotificationData<E>,
    opts: { except?: Peer; droppable?: boolean } = {},
  ): void {
    for (const peer of this.peers.values()) if (peer !== opts.except) peer.notify(event, data, opts);
  }

  producers(except?: Peer): ProducerInfo[] {
    const list: ProducerInfo[] = [];
    for (const peer of this.peers.values()) {
      if (peer === except) continue;
      for (const entry of peer.producers.values()) list.push(peer.producerInfo(entry));
    }
    return list;
  }

  findProducer(producerId: string): { peer: Peer; entry: ProducerEntry } | undefined {
    for (const peer of this.peers.values()) {
      const entry = peer.producers.get(producerId);
      if (entry) return { peer, entry };
    }
    return undefined;
  }

  /** Registers a new producer: observers for mics, close bookkeeping, and tells everyone else. */
  trackProducer(peer: Peer, entry: ProducerEntry): void {
    const { producer } = entry;
    peer.producers.set(producer.id, entry);
    producer.observer.once('close', () => {
      peer.producers.delete(producer.id);
      const reason: ProducerClosedReason = closeReasons.get(producer) ?? 'peer-left';
      this.broadcast('producerClosed', { producerId: producer.id, peerId: peer.id, reason });
    });
    if (entry.source === 'mic') {
      // Observers only read the audio level header extension; failing to add one must not fail produce.
      this.audioLevels.addProducer({ producerId: producer.id }).catch(() => {});
      this.activeSpeaker.addProducer({ producerId: producer.id }).catch(() => {});
    }
    this.broadcast('producerAdded', { producer: peer.producerInfo(entry) }, { except: peer });
  }

  closeProducer(entry: ProducerEntry, reason: ProducerClosedReason): void {
    closeReasons.set(entry.producer, reason);
    entry.producer.close();
  }

  /** Peers of one user (one per room, but a replaced connection may linger for a moment). */
  peersOfUser(userId: string): Peer[] {
    return [...this.peers.values()].filter((p) => p.identity.id === userId);
  }

  /** Idempotent and cascading: every peer is told why, disconnected, and the Router closes. */
  close(reason: RoomCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    const [code, text] = disconnectFor(reason);
    const rejoin = reason.kind === 'worker-died' || reason.kind === 'moved';
    const leftReason: PeerLeftReason = rejoin ? 'disconnected' : 'class-closed';
    // Everyone goes at once: no per-peer broadcasts to peers that are leaving too.
    const peers = [...this.peers.values()];
    this.peers.clear();
    for (const peer of peers) {
      if (rejoin) peer.notify('reconnect', { reason: text });
      if (reason.kind === 'ended') peer.notify('classClosed', { reason: text });
      peer.close();
      this.slot.load--;
      peer.disconnect(code, text);
      this.emit('peerLeft', peer, leftReason);
    }
    this.routers.close();
    this.log.info({ reason: reason.kind }, 'class media closed');
    this.emit('closed', reason);
    this.removeAllListeners();
  }

  /**
   * The worker of a spread Router died under this viewer: like everyone of a room whose worker dies, they are
   * told to reconnect (and join again); the rest of the room goes on.
   */
  #handleViewerLost(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    const [code, text] = disconnectFor({ kind: 'worker-died' });
    peer.notify('reconnect', { reason: text });
    peer.disconnect(code, text);
  }
}

function routerAppData(options: ClassRoomOptions): ms.AppData {
  return { classId: options.classId, room: formatRoomScope(options.scope) };
}

const closeReasons = new WeakMap<ms.Producer, ProducerClosedReason>();

function disconnectFor(reason: RoomCloseReason): [number, string] {
  switch (reason.kind) {
    case 'empty':
      return [CLOSE_CODES.normal, 'class media closed'];
    case 'worker-died':
      return [CLOSE_CODES.unavailable, 'the media server restarted: reconnect and join again'];
    case 'ended':
      return [CLOSE_CODES.normal, reason.reason];
    case 'moved':
      return [CLOSE_CODES.unavailable, reason.reason];
    case 'shutdown':
      return [CLOSE_CODES.goingAway, 'server shutting down'];
    default:
      return assertNever(reason);
  }
}
