// One joined media connection: who it is, the transports, producers and consumers it owns, and the
// link back to its socket. Lookups only ever see this peer's own objects, so another peer's ids are
// simply "not found". close() is idempotent and closes everything the peer owned.
import { randomUUID } from 'node:crypto';
import type {
  MediaEventName,
  MediaNotificationData,
  PeerInfo,
  ProducerInfo,
  ProducerSource,
  PublishGrant,
  RtpCapabilities,
  UserIdentity,
} from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors.ts';

export type TransportDirection = 'send' | 'recv';

/** How a peer reaches its socket; the signaling session provides it. */
export interface PeerLink {
  notify<E extends MediaEventName>(
    event: E,
    data: MediaNotificationData<E>,
    opts?: { droppable?: boolean },
  ): void;
  /** Closes the socket with a WebSocket close code and a reason the client can show. */
  disconnect(code: number, reason: string): void;
}

export interface ProducerEntry {
  readonly producer: ms.Producer;
  readonly source: ProducerSource;
  mutedByStaff: boolean;
}

export interface ConsumerEntry {
  readonly consumer: ms.Consumer;
  readonly source: ProducerSource;
  readonly producerPeerId: string;
}

/** Hard caps per peer, so a client cannot exhaust the worker. */
export const MAX_CONSUMERS_PER_PEER = 500;

export class Peer {
  readonly id = randomUUID();
  readonly transports = new Map<string, { transport: ms.WebRtcTransport; direction: TransportDirection }>();
  readonly producers = new Map<string, ProducerEntry>();
  readonly consumers = new Map<string, ConsumerEntry>();
  /** What staff let this user publish beyond the room's policy (the room keeps it by user id). */
  grant: PublishGrant | null = null;
  #closed = false;

  constructor(
    readonly identity: UserIdentity,
    readonly rtpCapabilities: RtpCapabilities,
    private readonly link: PeerLink,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  info(): PeerInfo {
    const { id: userId, name, role } = this.identity;
    return { peerId: this.id, userId, name, role, grant: this.grant };
  }

  producerInfo(entry: ProducerEntry): ProducerInfo {
    const { producer, source, mutedByStaff } = entry;
    return {
      producerId: producer.id,
      peerId: this.id,
      kind: producer.kind,
      source,
      paused: producer.paused,
      mutedByStaff,
    };
  }

  notify<E extends MediaEventName>(
    event: E,
    data: MediaNotificationData<E>,
    opts?: { droppable?: boolean },
  ): void {
    if (!this.#closed) this.link.notify(event, data, opts);
  }

  disconnect(code: number, reason: string): void {
    this.link.disconnect(code, reason);
  }

  transport(transportId: string, direction?: TransportDirection): ms.WebRtcTransport {
    const entry = this.transports.get(transportId);
    if (!entry) throw new AppError('not_found', `no transport ${transportId} on this connection`);
    if (direction && entry.direction !== direction) {
      throw new AppError(
        'bad_request',
        `transport ${transportId} is a ${entry.direction} transport, not ${direction}`,
      );
    }
    return entry.transport;
  }

  transportOf(direction: TransportDirection): ms.WebRtcTransport | undefined {
    for (const entry of this.transports.values()) if (entry.direction === direction) return entry.transport;
    return undefined;
  }

  producer(producerId: string): ProducerEntry {
    const entry = this.producers.get(producerId);
    if (!entry) throw new AppError('not_found', `no producer ${producerId} of yours`);
    return entry;
  }

  producerBySource(source: ProducerSource): ProducerEntry | undefined {
    for (const entry of this.producers.values()) if (entry.source === source) return entry;
    return undefined;
  }

  consumer(consumerId: string): ConsumerEntry {
    const entry = this.consumers.get(consumerId);
    if (!entry) throw new AppError('not_found', `no consumer ${consumerId} of yours`);
    return entry;
  }

  consumerOf(producerId: string): ConsumerEntry | undefined {
    for (const entry of this.consumers.values()) if (entry.consumer.producerId === producerId) return entry;
    return undefined;
  }

  /** Closing the transports closes their producers and consumers too (mediasoup cascades). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}
