// Events between the nodes of a cluster over Redis pub/sub: one channel (`<prefix>bus`) every node subscribes
// to on its own connection (a subscribed ioredis connection can run no other command), publishing on the
// node's command connection. Each message is parsed with busMessages.ts; a malformed or oversized one is
// dropped and counted, and a node ignores its own messages (it acted on them before publishing).
// Pub/sub is at most once: a node that is disconnected from Redis misses what is published meanwhile, which
// is acceptable for what goes over it (a live push of something already stored and read again on reconnect).
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import {
  type BusDropReason,
  type BusMessage,
  type BusMessageKind,
  encodeBusMessage,
  parseBusMessage,
} from './busMessages.ts';
import { connectRedis } from './redis.ts';

type Handler<K extends BusMessageKind> = (message: Extract<BusMessage, { kind: K }>) => void | Promise<void>;
/** Handlers are kept by kind and only ever called with a message of their kind. */
type AnyHandler = (message: BusMessage) => void | Promise<void>;

export interface ClusterBusOptions {
  redisUrl: string;
  keyPrefix: string;
  nodeId: string;
  /** The node's command connection (publishing does not need the subscriber). */
  publisher: Redis;
  log: Logger;
  /** Counts a dropped message (metrics). */
  onDropped?(reason: BusDropReason): void;
}

export class ClusterBus {
  readonly channel: string;
  private subscriber: Redis | undefined;
  private readonly handlers = new Map<BusMessageKind, AnyHandler[]>();
  private readonly dropped = new Map<BusDropReason, number>();

  constructor(private readonly o: ClusterBusOptions) {
    this.channel = `${o.keyPrefix}bus`;
  }

  /** Subscribes; resolves once Redis confirmed the subscription. */
  async start(): Promise<void> {
    const subscriber = connectRedis(this.o.redisUrl, this.o.log);
    this.subscriber = subscriber;
    subscriber.on('messageBuffer', (channel: Buffer, raw: Buffer) => {
      if (channel.toString() === this.channel) this.handleRaw(raw);
    });
    // ioredis subscribes again by itself after a reconnect.
    await subscriber.subscribe(this.channel);
  }

  on<K extends BusMessageKind>(kind: K, handler: Handler<K>): void {
    const list = this.handlers.get(kind) ?? [];
    list.push(handler as unknown as AnyHandler);
    this.handlers.set(kind, list);
  }

  /** Publishes to every other node; a failure is logged (the event was stored, a page reads it later). */
  async publish(message: BusMessage): Promise<void> {
    try {
      await this.o.publisher.publish(this.channel, encodeBusMessage(message));
    } catch (error) {
      this.o.log.warn({ err: error, kind: message.kind }, 'publishing a cluster event failed');
    }
  }

  /** Messages dropped so far by reason (tests and metrics read it). */
  droppedCount(reason: BusDropReason): number {
    return this.dropped.get(reason) ?? 0;
  }

  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }

  private handleRaw(raw: Buffer): void {
    const parsed = parseBusMessage(raw);
    if (!parsed.ok) {
      this.dropped.set(parsed.reason, this.droppedCount(parsed.reason) + 1);
      this.o.onDropped?.(parsed.reason);
      this.o.log.warn({ reason: parsed.reason, bytes: raw.byteLength }, 'cluster event dropped');
      return;
    }
    const { message } = parsed;
    if (message.from === this.o.nodeId) return;
    for (const handler of this.handlers.get(message.kind) ?? []) {
      try {
        const result = handler(message);
        if (result instanceof Promise) result.catch((error: unknown) => this.failed(message, error));
      } catch (error) {
        this.failed(message, error);
      }
    }
  }

  private failed(message: BusMessage, error: unknown): void {
    this.o.log.error({ err: error, kind: message.kind, from: message.from }, 'cluster event handler failed');
  }
}
