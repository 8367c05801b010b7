// The live calls: one ClassRoom (and its Router) per class and room scope (the class's main room, a pair's
// room), opened on its first join and closed when its last peer leaves. Joins and leaves of one room run
// through a queue, so concurrent joins share one Router. What staff set for a room outlives it until the
// class's media is ended.
import {
  admissionDecision,
  CLOSE_CODES,
  type PeerLeftReason,
  type PublishPolicy,
  type RoomScope,
} from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ClassRoom, type RoomCloseReason, type RoomSettings } from './ClassRoom.ts';
import { KeyedQueue } from './KeyedQueue.ts';
import type { Peer } from './Peer.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface ClassRoomRegistryOptions {
  pool: WorkerPool;
  maxPeers: number;
  /** Viewers one Router of a room takes before the room spreads to another worker (MEDIA_VIEWERS_PER_ROUTER). */
  viewersPerRouter: number;
  /** The student policy of a class's main room until staff change it. */
  defaultPolicy: PublishPolicy;
  log: Logger;
}

export type ClassRoomRegistryEvents = {
  roomOpened: [ClassRoom];
  roomClosed: [ClassRoom, RoomCloseReason];
  peerJoined: [ClassRoom, Peer];
  peerLeft: [ClassRoom, Peer, PeerLeftReason];
  activeSpeaker: [ClassRoom, { peer: Peer | undefined; producerId: string | undefined }];
};

/** Pair rooms are two people working together: they may share everything, screens included. */
const PAIR_POLICY: PublishPolicy = 'all';

/** The registry's key of a room: the class id for its main room. */
export function roomKey(classId: string, scope: RoomScope): string {
  return scope.kind === 'main' ? classId : `${classId}/pair:${scope.key}`;
}

export class ClassRoomRegistry extends TypedEmitter<ClassRoomRegistryEvents> {
  readonly #rooms = new Map<string, ClassRoom>();
  /** Settings staff changed, by room key, kept while their room is closed. */
  readonly #kept = new Map<string, RoomSettings>();
  readonly #queue = new KeyedQueue();
  #closed = false;

  constructor(private readonly options: ClassRoomRegistryOptions) {
    super((event, error) => options.log.error({ err: error, event }, 'media listener failed'));
  }

  /** The main room of a class, when live. */
  get(classId: string): ClassRoom | undefined {
    return this.#rooms.get(classId);
  }

  rooms(): ClassRoom[] {
    return [...this.#rooms.values()];
  }

  /** Every live room of a class: its main room and its pairs' rooms. */
  roomsOfClass(classId: string): ClassRoom[] {
    return this.rooms().filter((room) => room.classId === classId);
  }

  /**
   * The settings of a room, live or not; `forChange` creates (and keeps) them for a room that is not live, so
   * staff can set a class's policy before anyone joins.
   */
  settingsOf(classId: string, scope: RoomScope, forChange = false): RoomSettings {
    const key = roomKey(classId, scope);
    const existing = this.#rooms.get(key)?.settings ?? this.#kept.get(key);
    if (existing) return existing;
    const settings = this.#defaults(scope);
    if (forChange) this.#kept.set(key, settings);
    return settings;
  }

  /**
   * Admits `peer` to a room of its class (from its token), opening the room on first join. `admitted` runs
   * inside the room's queue, so what it reads of the room is exactly the state the peer joined into.
   */
  join<T>(peer: Peer, scope: RoomScope, admitted: (room: ClassRoom) => T): Promise<T> {
    const { classId, role, id: userId } = peer.identity;
    const key = roomKey(classId, scope);
    return this.#queue.run(key, async () => {
      if (this.#closed) throw new AppError('unavailable', 'the media service is shutting down');
      const room = this.#rooms.get(key) ?? (await this.#open(classId, scope, key));
      const previous = room.peerOfUser(userId);
      const admission = admissionDecision(role, room.peerCount - (previous ? 1 : 0), room.maxPeers);
      if (!admission.ok) throw new AppError('unavailable', admission.reason);
      if (previous) {
        // A user reconnecting (new tab, network change) replaces their stale connection.
        room.removePeer(previous, 'replaced');
        previous.disconnect(CLOSE_CODES.conflict, 'replaced by a newer media connection of the same user');
      }
      room.addPeer(peer);
      return admitted(room);
    });
  }

  /** Idempotent; closes the room's Router when its last peer has left. */
  leave(room: ClassRoom, peer: Peer, reason: PeerLeftReason): Promise<void> {
    return this.#queue.run(room.key, () => {
      room.removePeer(peer, reason);
      if (!room.closed && room.peerCount === 0) room.close({ kind: 'empty' });
    });
  }

  /**
   * Ends a class's media (every room of it) for everyone in it, and forgets what staff set; false when the
   * class had no live media.
   */
  async closeClass(classId: string, reason: string): Promise<boolean> {
    return this.#closeRooms(classId, { kind: 'ended', reason });
  }

  /**
   * The class is served by another node now (cluster/wiring.ts): every room of it closes here, and everyone in
   * it is told to reconnect (they reach the new owner); false when the class had no live media here.
   */
  handOver(classId: string, reason: string): Promise<boolean> {
    return this.#closeRooms(classId, { kind: 'moved', reason });
  }

  async #closeRooms(classId: string, why: RoomCloseReason): Promise<boolean> {
    for (const key of this.#kept.keys())
      if (key === classId || key.startsWith(`${classId}/`)) this.#kept.delete(key);
    const closed = await Promise.all(
      this.roomsOfClass(classId).map((room) =>
        this.#queue.run(room.key, () => {
          if (room.closed) return false;
          room.close(why);
          return true;
        }),
      ),
    );
    return closed.includes(true);
  }

  closeAll(): void {
    this.#closed = true;
    for (const room of this.rooms()) room.close({ kind: 'shutdown' });
  }

  #defaults(scope: RoomScope): RoomSettings {
    const policy = scope.kind === 'pair' ? PAIR_POLICY : this.options.defaultPolicy;
    return { policy, grants: new Map(), changedByStaff: false };
  }

  async #open(classId: string, scope: RoomScope, key: string): Promise<ClassRoom> {
    const { pool, maxPeers, viewersPerRouter, log } = this.options;
    const slot = pool.pick();
    const settings = this.#kept.get(key) ?? this.#defaults(scope);
    this.#kept.delete(key);
    const room = await ClassRoom.create({
      classId,
      scope,
      key,
      slot,
      spread: { picker: pool, viewersPerRouter },
      settings,
      maxPeers,
      log: log.child({
        classId,
        room: scope.kind === 'main' ? 'main' : `pair:${scope.key}`,
        worker: slot.index,
      }),
    });
    this.#rooms.set(key, room);
    room.on('peerJoined', (peer) => this.emit('peerJoined', room, peer));
    room.on('peerLeft', (peer, reason) => this.emit('peerLeft', room, peer, reason));
    room.on('activeSpeaker', (speaker) => this.emit('activeSpeaker', room, speaker));
    room.once('closed', (reason) => {
      if (this.#rooms.get(key) === room) this.#rooms.delete(key);
      // A room closing empty keeps what staff set; a class's media ending forgets it (closeClass).
      if (reason.kind === 'empty' && room.settings.changedByStaff) this.#kept.set(key, room.settings);
      this.emit('roomClosed', room, reason);
    });
    room.log.info('class media opened');
    this.emit('roomOpened', room);
    return room;
  }
}
