// Keeps "close a document, open it again" on one socket in order.
//
// A browser that reloads a document (after a change was refused) detaches its provider and attaches a new one
// with the same address on the same socket: CLOSE, then Auth and SyncStep1, back to back. Hocuspocus (4.7)
// handles CLOSE on the connection's own asynchronous message queue, and until that queue reaches it the socket
// still routes the address to the closing connection: the Auth and SyncStep1 that arrive in the same burst go
// to it and are lost, and the new provider waits unauthenticated for ever ("Connecting…"). Frames for an
// address whose CLOSE is in progress are held here and handed on, in order, once the connection has closed.
import type { Connection, Extension } from '@hocuspocus/server';
import { MessageType } from '@hocuspocus/server';
import { AppError } from '../errors.ts';
import type { CollabContext } from './context.ts';
import { readFrameHead } from './frameHead.ts';

/** What a socket may hold for documents it is closing before it is refused: a burst, not a stream. */
export interface ReopenLimits {
  maxHeldFrames: number;
  maxHeldBytes: number;
}

export const REOPEN_LIMITS: ReopenLimits = { maxHeldFrames: 64, maxHeldBytes: 4 * 1024 * 1024 };

const TOO_MUCH_HELD = new AppError(
  'rate_limited',
  'too many messages for a document that is still closing; reconnect',
);

export class ReopenOrder {
  readonly #open = new Map<string, Connection>();
  /** Created on the first CLOSE of an open document: most sockets never hold anything. */
  #held: Map<string, Uint8Array[]> | undefined;
  #heldFrames = 0;
  #heldBytes = 0;

  /** `handOn` gets each held frame, in arrival order, once its document's connection has closed. */
  constructor(
    private readonly handOn: (frame: Uint8Array) => void,
    private readonly limits: ReopenLimits = REOPEN_LIMITS,
  ) {}

  /** Follows an established connection of this socket until it closes. */
  track(connection: Connection): void {
    const address = connection.messageAddress;
    this.#open.set(address, connection);
    connection.onClose(() => {
      if (this.#open.get(address) === connection) this.#open.delete(address);
      const held = this.#held?.get(address);
      if (!held) return;
      this.#held?.delete(address);
      this.#heldFrames -= held.length;
      for (const frame of held) this.#heldBytes -= frame.byteLength;
      // After Hocuspocus has finished closing (its CLOSE reply goes out first), as if the frames came now.
      queueMicrotask(() => {
        for (const frame of held) this.handOn(frame);
      });
    });
  }

  /**
   * `pass` for a frame to handle now; `held` when it waits for its document to close; an error when this
   * socket holds too much. A CLOSE for an open document passes and starts holding that address.
   */
  accept(frame: Uint8Array): 'pass' | 'held' | AppError {
    if (this.#open.size === 0 && !this.#held?.size) return 'pass';
    const head = readFrameHead(frame);
    if (!head) return 'pass';
    const { address, type } = head;
    const held = this.#held?.get(address);
    if (held) {
      if (
        this.#heldFrames + 1 > this.limits.maxHeldFrames ||
        this.#heldBytes + frame.byteLength > this.limits.maxHeldBytes
      )
        return TOO_MUCH_HELD;
      held.push(frame);
      this.#heldFrames++;
      this.#heldBytes += frame.byteLength;
      return 'held';
    }
    if (type === MessageType.CLOSE && this.#open.has(address)) {
      this.#held ??= new Map();
      this.#held.set(address, []);
    }
    return 'pass';
  }
}

/** Tells each socket's ReopenOrder about its connections as soon as Hocuspocus has established them. */
export class ReopenOrderExtension implements Extension {
  /** Before every other `connected` hook: the socket already routes the address to the new connection. */
  priority = 1000;

  async connected({
    connection,
    context,
  }: {
    connection: Connection;
    context: CollabContext;
  }): Promise<void> {
    context.socket?.reopen?.track(connection);
  }
}
