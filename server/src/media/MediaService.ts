// The in-process API of class media for other modules (classroom controls, attendance): staff actions by
// class id, ending a class's media, and typed events about who joined, left and is speaking.
import type { PeerInfo, PeerLeftReason, PublishPolicy, Role } from '@tandem/shared';
import type { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import type { MediaCounts } from './mediaMetrics.ts';
import { type Actor, muteAll, mutePeer, setPublishPolicy } from './moderation.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface MediaPeerEvent {
  classId: string;
  peerId: string;
  userId: string;
  name: string;
  role: Role;
}

export type MediaServiceEvents = {
  classOpened: [{ classId: string }];
  classClosed: [{ classId: string; reason: 'empty' | 'worker-died' | 'ended' | 'shutdown' }];
  peerJoined: [MediaPeerEvent];
  peerLeft: [MediaPeerEvent & { reason: PeerLeftReason }];
  /** The dominant speaker of a class changed (from mediasoup's ActiveSpeakerObserver). */
  activeSpeaker: [
    { classId: string; peerId: string | null; userId: string | null; producerId: string | null },
  ];
};

export interface ActionOptions {
  /** Shown to muted peers ("muted by ..."). */
  byName?: string;
}

const SERVER_ACTOR_NAME = 'the class';

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
    registry.on('roomOpened', (room) => this.emit('classOpened', { classId: room.classId }));
    registry.on('roomClosed', (room, reason) =>
      this.emit('classClosed', { classId: room.classId, reason: reason.kind }),
    );
    registry.on('peerJoined', (room, peer) =>
      this.emit('peerJoined', { classId: room.classId, ...peer.info() }),
    );
    registry.on('peerLeft', (room, peer, reason) =>
      this.emit('peerLeft', { classId: room.classId, ...peer.info(), reason }),
    );
    registry.on('activeSpeaker', (room, { peer, producerId }) =>
      this.emit('activeSpeaker', {
        classId: room.classId,
        peerId: peer?.id ?? null,
        userId: peer?.identity.id ?? null,
        producerId: producerId ?? null,
      }),
    );
  }

  static unavailable(reason: string): MediaService {
    return new MediaService(undefined, undefined, reason);
  }

  get available(): boolean {
    return this.registry !== undefined && !this.#closed;
  }

  /** Mutes every student (and staff with includeStaff); returns how many producers were paused. */
  async muteAll(classId: string, opts: ActionOptions & { includeStaff?: boolean } = {}): Promise<number> {
    const room = this.registry?.get(classId);
    if (!room) return 0;
    return muteAll(room, serverActor(opts), { includeStaff: opts.includeStaff ?? false });
  }

  /** Mutes one user's audio in a class; returns how many producers were paused. */
  async muteUser(classId: string, userId: string, opts: ActionOptions = {}): Promise<number> {
    const room = this.registry?.get(classId);
    const peer = room?.peerOfUser(userId);
    if (!room || !peer) return 0;
    return mutePeer(room, peer, serverActor(opts));
  }

  /** Changes what students may publish in a live class; false when the class has no live media. */
  setPublishPolicy(classId: string, policy: PublishPolicy): boolean {
    const room = this.registry?.get(classId);
    if (!room) return false;
    setPublishPolicy(room, policy, serverActor({}));
    return true;
  }

  publishPolicy(classId: string): PublishPolicy | undefined {
    return this.registry?.get(classId)?.policy;
  }

  /** Ends a class's media: everyone is told (`classClosed`) and disconnected; false if it was not live. */
  closeClass(classId: string, reason = 'the class has ended'): Promise<boolean> {
    return this.registry?.closeClass(classId, reason) ?? Promise.resolve(false);
  }

  peers(classId: string): PeerInfo[] {
    const room = this.registry?.get(classId);
    return room ? [...room.peers.values()].map((p) => p.info()) : [];
  }

  counts(): MediaCounts {
    const counts: MediaCounts = {
      workers: this.pool?.aliveCount ?? 0,
      classes: 0,
      peers: 0,
      producers: { audio: 0, video: 0 },
      consumers: 0,
    };
    for (const room of this.registry?.rooms() ?? []) {
      counts.classes++;
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
}

function serverActor(opts: ActionOptions): Actor {
  return { peer: undefined, name: opts.byName ?? SERVER_ACTOR_NAME };
}
