// Keeps "close a document, open it again" on one socket in order.
//
// A browser that reloads a document (after a change was refused) detaches its provider and attaches a new one
// with the same address on the same socket: CLOSE, then Auth and SyncStep1, back to back. Hocuspocus (4.7)
// handles CLOSE on the connection's own asynchronous message queue, and until that queue reaches it the socket
// still routes the address to the closing connection: the Auth and SyncStep1 that arrive in the same burst go
// to it and are lost, and the new provider waits unauthenticated for ever ("Connecting…"). Frames for an
// address whose CLOSE is in progress are held here and handed on, in order, once the connection has closed.
import { MessageType } from '@hocuspocus/server';
import { AppError } from '../errors.ts';
import { readFrameHead } from './frameHead.ts';
import type { Route, RouteCloseListener } from './socketRoutes.ts';

/** Takes a frame held for later back into the socket's frame rules. */
export interface FrameHandler {
  handOn(frame: Uint8Array): void;
}

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

export class ReopenOrder implements RouteCloseListener {
  /** Created on the first CLOSE of an open document: most sockets never hold anything. */
  #held: Map<string, Uint8Array[]> | undefined;
  #heldFrames = 0;
  #heldBytes = 0;

  /** `handOn` gets each held frame, in arrival order, once its document's connection has closed. */
  constructor(
    private readonly handOn: FrameHandler,
    private readonly limits: ReopenLimits = REOPEN_LIMITS,
  ) {}

  /** The socket's connection for `route`'s address has closed: what waited for it is handed on. */
  routeClosed(route: Route): void {
    const address = route.address;
    const held = this.#held?.get(address);
    if (!held) return;
    this.#held?.delete(address);
    this.#heldFrames -= held.length;
    for (const frame of held) this.#heldBytes -= frame.byteLength;
    // After Hocuspocus has finished closing (its CLOSE reply goes out first), as if the frames came now.
    queueMicrotask(() => {
      for (const frame of held) this.handOn.handOn(frame);
    });
  }

  /**
   * `pass` for a frame to handle now; `held` when it waits for its document to close; an error when this
   * socket holds too much. A CLOSE for an open document (`route`: the socket's route the frame matched)
   * passes and starts holding that address.
   */
  accept(frame: Uint8Array, route: Route | undefined): 'pass' | 'held' | AppError {
    if (this.#held?.size) {
      const held = this.#heldFor(frame);
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
    }
    if (route?.typeOfMatched(frame) === MessageType.CLOSE) {
      this.#held ??= new Map();
      this.#held.set(route.address, []);
    }
    return 'pass';
  }

  #heldFor(frame: Uint8Array): Uint8Array[] | undefined {
    const head = readFrameHead(frame);
    return head && this.#held?.get(head.address);
  }
}
