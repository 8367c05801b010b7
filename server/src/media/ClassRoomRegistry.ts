// The live classes: opens a ClassRoom (and its Router) on a class's first join, closes it when the last
// peer leaves. Joins and leaves of one class run through a queue, so concurrent joins share one Router.
import { admissionDecision, CLOSE_CODES, type PeerLeftReason, type PublishPolicy } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ClassRoom, type RoomCloseReason } from './ClassRoom.ts';
import { KeyedQueue } from './KeyedQueue.ts';
import type { Peer } from './Peer.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface ClassRoomRegistryOptions {
  pool: WorkerPool;
  maxPeers: number;
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

export class ClassRoomRegistry extends TypedEmitter<ClassRoomRegistryEvents> {
  readonly #rooms = new Map<string, ClassRoom>();
  readonly #queue = new KeyedQueue();
  #closed = false;

  constructor(private readonly options: ClassRoomRegistryOptions) {
    super((event, error) => options.log.error({ err: error, event }, 'media listener failed'));
  }

  get(classId: string): ClassRoom | undefined {
    return this.#rooms.get(classId);
  }

  rooms(): ClassRoom[] {
    return [...this.#rooms.values()];
  }

  /**
   * Admits `peer` to its class (from its token), opening the class on first join. `admitted` runs inside
   * the class's queue, so what it reads of the room is exactly the state the peer joined into.
   */
  join<T>(peer: Peer, admitted: (room: ClassRoom) => T): Promise<T> {
    const { classId, role, id: userId } = peer.identity;
    return this.#queue.run(classId, async () => {
      if (this.#closed) throw new AppError('unavailable', 'the media service is shutting down');
      const room = this.#rooms.get(classId) ?? (await this.#open(classId));
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

  /** Idempotent; closes the class's Router when its last peer has left. */
  leave(room: ClassRoom, peer: Peer, reason: PeerLeftReason): Promise<void> {
    return this.#queue.run(room.classId, () => {
      room.removePeer(peer, reason);
      if (!room.closed && room.peerCount === 0) room.close({ kind: 'empty' });
    });
  }

  /** Ends a class's media for everyone in it; false when the class had no live media. */
  closeClass(classId: string, reason: string): Promise<boolean> {
    return this.#queue.run(classId, () => {
      const room = this.#rooms.get(classId);
      if (!room) return false;
      room.close({ kind: 'ended', reason });
      return true;
    });
  }

  closeAll(): void {
    this.#closed = true;
    for (const room of this.rooms()) room.close({ kind: 'shutdown' });
  }

  async #open(classId: string): Promise<ClassRoom> {
    const { pool, maxPeers, defaultPolicy, log } = this.options;
    const slot = pool.pick();
    const room = await ClassRoom.create({
      classId,
      slot,
      policy: defaultPolicy,
      maxPeers,
      log: log.child({ classId, worker: slot.index }),
    });
    this.#rooms.set(classId, room);
    room.on('peerJoined', (peer) => this.emit('peerJoined', room, peer));
    room.on('peerLeft', (peer, reason) => this.emit('peerLeft', room, peer, reason));
    room.on('activeSpeaker', (speaker) => this.emit('activeSpeaker', room, speaker));
    room.once('closed', (reason) => {
      if (this.#rooms.get(classId) === room) this.#rooms.delete(classId);
      this.emit('roomClosed', room, reason);
    });
    room.log.info('class media opened');
    this.emit('roomOpened', room);
    return room;
  }
}
