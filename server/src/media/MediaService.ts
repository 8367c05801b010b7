// The in-process API of class media for other modules (classroom controls, attendance, acting on one person):
// staff actions by class and user id across the class's calls, ending a class's media, and typed events
// about who joined, left and is speaking.
import type { PeerInfo, PeerLeftReason, PublishGrant, PublishPolicy, Role } from '@tandem/shared';
import type { ClassRoom, RoomCloseReason } from './ClassRoom.ts';
import type { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import type { MediaCounts } from './mediaMetrics.ts';
import {
  type Actor,
  muteAll,
  mutePeer,
  setGrant,
  setPublishPolicy,
  stopCamera,
  stopScreenShare,
} from './moderation.ts';
import type { Peer } from './Peer.ts';
import { removeFromRoom } from './removal.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface MediaPeerEvent {
  classId: string;
  peerId: string;
  userId: string;
  name: string;
  role: Role;
  /** `main` or `pair:<key>`. */
  room: string;
}

export type MediaServiceEvents = {
  classOpened: [{ classId: string }];
  classClosed: [{ classId: string; reason: RoomCloseReason['kind'] }];
  peerJoined: [MediaPeerEvent];
  peerLeft: [MediaPeerEvent & { reason: PeerLeftReason }];
  /** The dominant speaker of a class's main call changed (from mediasoup's ActiveSpeakerObserver). */
  activeSpeaker: [
    { classId: string; peerId: string | null; userId: string | null; producerId: string | null },
  ];
};

export interface ActionOptions {
  /** Shown to the people acted on ("muted by ..."). */
  byName?: string;
}

/** An action on one user, wherever in the class's calls they are. */
export type UserAction =
  | { action: 'mute' }
  | { action: 'stop-camera' }
  | { action: 'stop-screen' }
  | { action: 'remove-from-call' }
  | { action: 'remove-from-class' }
  | { action: 'grant'; grant: PublishGrant | null };

/** One user as the class's calls see them. */
export interface UserMedia {
  inCall: boolean;
  role: Role | null;
  publishing: { mic: boolean; camera: boolean; screen: boolean };
  /** Their grant in the class's main call. */
  grant: PublishGrant | null;
}

const SERVER_ACTOR_NAME = 'the class';
const MAIN = { kind: 'main' } as const;

export class MediaService extends TypedEmitter<MediaServiceEvents> {
  #closed = false;

  constructor(
    private readonly registry: ClassRoomRegistry | undefined,
    private readonly pool: WorkerPool | undefined,
    /** Why media is off, when it is (disabled, or the worker could not start). */
    readonly unavailableReason: string | undefined = undefined,
  ) {
    super();
    if (!registry) return;
    // Opening and closing are about a class's main call; pair calls come and go within it.
    registry.on('roomOpened', (room) => {
      if (room.scope.kind === 'main') this.emit('classOpened', { classId: room.classId });
    });
    registry.on('roomClosed', (room, reason) => {
      if (room.scope.kind === 'main')
        this.emit('classClosed', { classId: room.classId, reason: reason.kind });
    });
    registry.on('peerJoined', (room, peer) => this.emit('peerJoined', peerEvent(room, peer)));
    registry.on('peerLeft', (room, peer, reason) =>
      this.emit('peerLeft', { ...peerEvent(room, peer), reason }),
    );
    registry.on('activeSpeaker', (room, { peer, producerId }) => {
      if (room.scope.kind !== 'main') return;
      this.emit('activeSpeaker', {
        classId: room.classId,
        peerId: peer?.id ?? null,
        userId: peer?.identity.id ?? null,
        producerId: producerId ?? null,
      });
    });
  }

  static unavailable(reason: string): MediaService {
    return new MediaService(undefined, undefined, reason);
  }

  get available(): boolean {
    return this.registry !== undefined && !this.#closed;
  }

  /** Mutes every student of the main call (and staff with includeStaff); returns how many producers paused. */
  async muteAll(classId: string, opts: ActionOptions & { includeStaff?: boolean } = {}): Promise<number> {
    const room = this.registry?.get(classId);
    if (!room) return 0;
    return muteAll(room, serverActor(opts), { includeStaff: opts.includeStaff ?? false });
  }

  /** Mutes one user's audio in every call of a class; returns how many producers were paused. */
  muteUser(classId: string, userId: string, opts: ActionOptions = {}): Promise<number> {
    return this.actOnUser(classId, userId, { action: 'mute' }, opts);
  }

  /**
   * Applies a staff action to one user in every call of the class they are in; returns how many producers it
   * paused or closed, or how many calls they were removed from. A grant applies to the class's main call,
   * whether or not they are in it now.
   */
  async actOnUser(
    classId: string,
    userId: string,
    what: UserAction,
    opts: ActionOptions = {},
  ): Promise<number> {
    const registry = this.registry;
    if (!registry) return 0;
    const actor = serverActor(opts);
    if (what.action === 'grant') return this.#grant(registry, classId, userId, what.grant, actor);
    let affected = 0;
    for (const room of registry.roomsOfClass(classId)) {
      for (const peer of room.peersOfUser(userId)) affected += await act(registry, room, peer, what, actor);
    }
    return affected;
  }

  /** What one user publishes in the class's calls, and their grant. */
  userMedia(classId: string, userId: string): UserMedia {
    const media: UserMedia = {
      inCall: false,
      role: null,
      publishing: { mic: false, camera: false, screen: false },
      grant: this.registry?.settingsOf(classId, MAIN).grants.get(userId) ?? null,
    };
    for (const room of this.registry?.roomsOfClass(classId) ?? []) {
      for (const peer of room.peersOfUser(userId)) {
        media.inCall = true;
        media.role = peer.identity.role;
        for (const { producer, source } of peer.producers.values()) {
          if (producer.paused) continue;
          if (source === 'mic') media.publishing.mic = true;
          if (source === 'camera') media.publishing.camera = true;
          if (source === 'screen') media.publishing.screen = true;
        }
      }
    }
    return media;
  }

  /**
   * Changes what students may publish in the class's main call, live or not yet (kept until the class's media
   * ends); returns how many producers the new policy closed.
   */
  setPublishPolicy(classId: string, policy: PublishPolicy, opts: ActionOptions = {}): number {
    const registry = this.registry;
    if (!registry) return 0;
    const room = registry.get(classId);
    if (room) return setPublishPolicy(room, policy, serverActor(opts));
    const settings = registry.settingsOf(classId, MAIN, true);
    settings.policy = policy;
    settings.changedByStaff = true;
    return 0;
  }

  /** The student policy of the class's main call. */
  publishPolicy(classId: string): PublishPolicy | undefined {
    return this.registry?.settingsOf(classId, MAIN).policy;
  }

  /** Ends a class's media (every call of it): everyone is told (`classClosed`) and disconnected. */
  closeClass(classId: string, reason = 'the class has ended'): Promise<boolean> {
    return this.registry?.closeClass(classId, reason) ?? Promise.resolve(false);
  }

  /** The class moved to another node (cluster): its calls close here and everyone is told to reconnect. */
  handOver(classId: string, reason: string): Promise<boolean> {
    return this.registry?.handOver(classId, reason) ?? Promise.resolve(false);
  }

  /** Whether any call of the class (main or pair room) is live on this node. */
  hasLiveRooms(classId: string): boolean {
    return (this.registry?.roomsOfClass(classId).length ?? 0) > 0;
  }

  /** The class's main call when it is live (the recorder follows its Router). */
  mainRoom(classId: string): ClassRoom | undefined {
    return this.registry?.get(classId);
  }

  /** Everyone in the class's main call. */
  peers(classId: string): PeerInfo[] {
    const room = this.registry?.get(classId);
    return room ? [...room.peers.values()].map((p) => p.info()) : [];
  }

  counts(): MediaCounts {
    const counts: MediaCounts = {
      workers: this.pool?.aliveCount ?? 0,
      classes: 0,
      routers: 0,
      pipes: 0,
      peers: 0,
      producers: { audio: 0, video: 0 },
      consumers: 0,
    };
    for (const room of this.registry?.rooms() ?? []) {
      counts.classes++;
      counts.routers += room.routers.routers().length;
      counts.pipes += room.routers.pipeCount;
      for (const peer of room.peers.values()) {
        counts.peers++;
        counts.consumers += peer.consumers.size;
        for (const { producer } of peer.producers.values()) counts.producers[producer.kind]++;
      }
    }
    return counts;
  }

  /** Disconnects everyone and stops the workers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.registry?.closeAll();
    this.pool?.close();
  }

  #grant(
    registry: ClassRoomRegistry,
    classId: string,
    userId: string,
    grant: PublishGrant | null,
    actor: Actor,
  ): number {
    const room = registry.get(classId);
    const peer = room?.peerOfUser(userId);
    if (room && peer) return setGrant(room, peer, grant, actor);
    const settings = registry.settingsOf(classId, MAIN, true);
    if (grant) settings.grants.set(userId, grant);
    else settings.grants.delete(userId);
    settings.changedByStaff = true;
    return 0;
  }
}

async function act(
  registry: ClassRoomRegistry,
  room: ClassRoom,
  peer: Peer,
  what: Exclude<UserAction, { action: 'grant' }>,
  actor: Actor,
): Promise<number> {
  switch (what.action) {
    case 'mute':
      return mutePeer(room, peer, actor);
    case 'stop-camera':
      return stopCamera(room, peer, actor);
    case 'stop-screen':
      return stopScreenShare(room, peer, actor);
    case 'remove-from-call':
      await removeFromRoom(registry, room, peer, actor, 'call');
      return 1;
    case 'remove-from-class':
      await removeFromRoom(registry, room, peer, actor, 'class');
      return 1;
    default: {
      const unreachable: never = what;
      return unreachable;
    }
  }
}

function peerEvent(room: ClassRoom, peer: Peer): MediaPeerEvent {
  const { peerId, userId, name, role } = peer.info();
  return { classId: room.classId, peerId, userId, name, role, room: room.name };
}

function serverActor(opts: ActionOptions): Actor {
  return { peer: undefined, name: opts.byName ?? SERVER_ACTOR_NAME };
}
