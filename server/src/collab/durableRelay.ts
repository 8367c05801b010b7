// Holds what a socket is sent about a document until every update applied to that document so far is durable:
// its acknowledgements (SyncStatus) and its content (sync step 2, updates). Everything else goes out at once,
// unless something is already held on the socket: then it waits behind it, so a socket's messages keep their
// order.
//
// Acknowledgements: Hocuspocus and the direct path both acknowledge an update right after applying it; on
// SQLite it is durable by then (the journal write returned), on PostgreSQL only once its group commit lands.
// Content: a peer sent an update before it was durable would hold it even if the node died before the commit
// landed. On reconnecting to the next node, the peer's sync step 2 would carry content under its author's client
// id that the server never stored, and the update check must refuse it (`foreign_client`: nobody may write under
// another user's client id) every time, while the author's own step 2 is refused for the peer's content in
// turn: both stay unsaved until they reload. Relayed only once durable, no client ever holds another's change
// that the server could still lose. Holding costs nothing on SQLite and one group commit (a few milliseconds) of
// latency to peers on PostgreSQL. While the database is unreachable commits are retried and nothing lands, so
// what a socket has held is bounded: past MAX_HELD_BYTES the socket is closed (1013, try again later) and the
// client resyncs from what is durable when it reconnects.
import { MessageType } from '@hocuspocus/server';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import { readFrameHead } from './frameHead.ts';

export interface Durability {
  /** True while some applied update is not yet durable (read before a message is looked at). */
  readonly pending: boolean;
  /** When every update applied to `documentName` so far is durable; null when they already are. */
  whenDurable(documentName: string): Promise<void> | null;
}

/** What Hocuspocus sends to: a /collab socket, or the bridge of a y-websocket one. */
interface SendTarget {
  send(data: Uint8Array, options?: unknown, cb?: unknown): void;
}

/** What one socket may have waiting for commits before it is closed instead. */
export const MAX_HELD_BYTES = 8 * 1024 * 1024;

interface Held {
  data: Uint8Array;
  options: unknown;
  cb: unknown;
  durable: Promise<void> | null;
}

export interface HeldSocket {
  /** Whether the socket still takes messages (held ones for a closed socket are dropped). */
  isOpen(): boolean;
  /** Counts a message that had to wait for a commit. */
  onHeld(): void;
  /** Closes the socket: it has MAX_HELD_BYTES waiting (what it holds is dropped). */
  overflow(): void;
}

/**
 * Wraps `target.send`: messages it is given in Hocuspocus's protocol wait as described above. They go on to
 * `next.send` when given, else to what `target.send` was.
 */
export function holdUntilDurable(
  target: SendTarget,
  durability: Durability,
  socket: HeldSocket,
  next?: SendTarget,
): void {
  const held = new HeldSends(target, durability, socket, next);
  // Explicit arguments, not a rest parameter: this runs for every message every socket is sent, and a rest
  // array would be allocated each time.
  target.send = (data: Uint8Array, options?: unknown, cb?: unknown) => held.send(data, options, cb);
}

/** One socket's queue (a class: one per open socket, its methods shared). */
class HeldSends {
  readonly #queue: Held[] = [];
  /** Where messages go on to: `next`, or the target itself through its own `send` (kept before wrapping). */
  readonly #next: SendTarget;
  readonly #send: SendTarget['send'];
  #bytes = 0;
  #draining = false;

  constructor(
    target: SendTarget,
    readonly durability: Durability,
    readonly socket: HeldSocket,
    next: SendTarget | undefined,
  ) {
    this.#next = next ?? target;
    this.#send = this.#next.send;
  }

  send(data: Uint8Array, options: unknown, cb: unknown) {
    const durable = this.durability.pending ? waitsFor(data, this.durability) : null;
    if (this.#queue.length === 0 && !durable) return this.#send.call(this.#next, data, options, cb);
    if (this.#bytes + data.byteLength > MAX_HELD_BYTES) {
      this.#drop();
      return this.socket.overflow();
    }
    if (durable) this.socket.onHeld();
    this.#queue.push({ data, options, cb, durable });
    this.#bytes += data.byteLength;
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    const queue = this.#queue;
    this.#draining = true;
    while (queue.length > 0) {
      const next = queue[0]!;
      if (next.durable) await next.durable;
      if (queue[0] !== next) continue; // dropped meanwhile
      queue.shift();
      this.#bytes -= next.data.byteLength;
      if (this.socket.isOpen()) this.#send.call(this.#next, next.data, next.options, next.cb);
      else this.#drop();
    }
    this.#draining = false;
  }

  #drop(): void {
    this.#queue.length = 0;
    this.#bytes = 0;
  }
}

/** The commit `data` must wait for: an acknowledgement or document content of a document with updates in flight. */
export function waitsFor(
  data: Uint8Array,
  durability: Pick<Durability, 'whenDurable'>,
): Promise<void> | null {
  const head = readFrameHead(data);
  if (!head) return null;
  const content =
    (head.type === MessageType.Sync || head.type === MessageType.SyncReply) &&
    head.syncType !== messageYjsSyncStep1;
  if (!content && head.type !== MessageType.SyncStatus) return null;
  return durability.whenDurable(head.address);
}
