// Holds a client's document updates while its sync handshake for that document is in flight, and hands them on
// right after the client's SyncStep2.
//
// A provider that reconnects sends Auth and SyncStep1, then, while it waits for the server's SyncStep1, goes on
// sending each new change as an incremental update: it continues from the last change the client sent, not
// from what the server has. When a node died (or restarted) with some of the client's changes not yet durable,
// and so never acknowledged, such an update starts after a gap and the update check would refuse it
// (`missing_structs`), sending the person's work to "Recovered edits". The SyncStep2 the client sends next is
// computed from the server's state vector and from everything the client has by then, so it carries every
// update held here: once it is in, the held ones only repeat what the document has (applied as no-ops and
// acknowledged as usual). Updates sent before the Auth are dropped instead (preAuthUpdates.ts).
import { MessageType } from '@hocuspocus/server';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import { readFrameHead } from './frameHead.ts';
import type { PreAuthUpdates } from './preAuthUpdates.ts';
import type { FrameHandler } from './reopenOrder.ts';
import type { Route } from './socketRoutes.ts';

export interface HandshakeLimits {
  /** Held per socket before the rest go through unheld (the old order). */
  maxHeldFrames: number;
  maxHeldBytes: number;
  /** A handshake whose SyncStep2 has not come by then lets its held updates go. */
  maxWaitMs: number;
}

export const HANDSHAKE_LIMITS: HandshakeLimits = {
  maxHeldFrames: 256,
  maxHeldBytes: 4 * 1024 * 1024,
  maxWaitMs: 10_000,
};

interface Pending {
  held: Uint8Array[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class HandshakeUpdates {
  /** Only while some handshake is in flight: a socket past its handshakes holds no table. */
  #pending: Map<string, Pending> | undefined;
  #heldFrames = 0;
  #heldBytes = 0;

  /**
   * `handOn` gets held frames, in arrival order, after their SyncStep2 (or when the wait ends). Which documents
   * the socket has sent an Auth for is remembered once, by `auths` (the socket's PreAuthUpdates).
   */
  constructor(
    private readonly handOn: FrameHandler,
    private readonly auths: Pick<PreAuthUpdates, 'sawAuth'>,
    private readonly limits: HandshakeLimits = HANDSHAKE_LIMITS,
  ) {}

  /**
   * `hold` when the frame waits for its handshake's SyncStep2; `pass` to handle it now. `route`: the socket's
   * route the frame matched, if any.
   */
  accept(frame: Uint8Array, route: Route | undefined): 'pass' | 'hold' {
    // The usual frame, on a document past its handshake: no need to read its address.
    if (route && !this.#pending && !isSyncStep1(frame, route)) return 'pass';
    const head = readFrameHead(frame);
    if (!head) return 'pass';
    const { address, type, syncType } = head;
    if (type !== MessageType.Sync) return 'pass';
    const pending = this.#pending?.get(address);
    if (syncType === messageYjsSyncStep1) {
      if (!pending && this.auths.sawAuth(address)) this.#begin(address);
      return 'pass';
    }
    if (!pending) return 'pass';
    if (syncType === messageYjsSyncStep2) {
      this.#release(address);
      return 'pass';
    }
    if (syncType !== messageYjsUpdate) return 'pass';
    if (
      this.#heldFrames + 1 > this.limits.maxHeldFrames ||
      this.#heldBytes + frame.byteLength > this.limits.maxHeldBytes
    )
      return 'pass';
    pending.held.push(frame);
    this.#heldFrames++;
    this.#heldBytes += frame.byteLength;
    return 'hold';
  }

  /** Lets everything held go (the socket closed: nothing is handed on). */
  close(): void {
    for (const pending of this.#pending?.values() ?? []) clearTimeout(pending.timer);
    this.#pending = undefined;
  }

  #begin(address: string): void {
    const pending: Pending = { held: [], timer: undefined };
    pending.timer = setTimeout(() => this.#release(address), this.limits.maxWaitMs);
    pending.timer.unref?.();
    this.#pending ??= new Map();
    this.#pending.set(address, pending);
  }

  /** Ends the address's wait; its held frames go on after the frame being handled now. */
  #release(address: string): void {
    const pending = this.#pending?.get(address);
    if (!pending) return;
    this.#pending?.delete(address);
    if (this.#pending?.size === 0) this.#pending = undefined;
    clearTimeout(pending.timer);
    this.#heldFrames -= pending.held.length;
    for (const frame of pending.held) this.#heldBytes -= frame.byteLength;
    if (pending.held.length === 0) return;
    queueMicrotask(() => {
      for (const frame of pending.held) this.handOn.handOn(frame);
    });
  }
}

function isSyncStep1(frame: Uint8Array, route: Route): boolean {
  return (
    route.typeOfMatched(frame) === MessageType.Sync && frame[route.addressBytes + 1] === messageYjsSyncStep1
  );
}
