// Frames an outgoing binary message once for all the peers it goes to. Hocuspocus broadcasts one Uint8Array to
// every connection of a document; ws would frame it again for each of them (a header allocation, cork/uncork
// and a two-chunk writev per peer). Here the finished frame (ws's own framing, `Sender.frame`) is built on the
// first send of a message and written whole to each peer, until a different message is sent; large messages
// are written as header + message, uncopied. What a socket is sent in one turn leaves in one writev.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { type CoalescedWrites, coalescedWrites } from './coalescedWrites.ts';
import { wsBinaryFrame } from './libraryInternals.ts';

let lastMessage: Uint8Array | undefined;
let lastFrame: Buffer | undefined;

/**
 * Messages from this size on are written as the frame header followed by the message itself, never copied into
 * one frame: copying costs more than the extra chunk, and a large message (a full state for a joiner) is often
 * sent to many sockets in turn with other messages in between, so a cached copy would be made again each time.
 */
export const LARGE_MESSAGE_BYTES = 16 * 1024;

/** The complete WebSocket frame (server to client, unmasked, binary) carrying `message`. */
export function binaryFrame(message: Uint8Array): Buffer {
  if (message !== lastMessage || lastFrame === undefined) {
    const payload = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    lastFrame = Buffer.concat(wsBinaryFrame(payload));
    lastMessage = message;
  }
  return lastFrame;
}

/** Messages up to this size are also recognised by content per socket (acknowledgements repeat verbatim). */
const SMALL_MESSAGE_BYTES = 64;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Counts what a socket is sent (one per socket: an object, where a callback would be a closure per socket). */
export interface SentCounter {
  sent(bytes: number): void;
}

export interface FramedSender {
  /**
   * Notes a Yjs update frame this socket sent. Hocuspocus broadcasts each flushed update to every connection of
   * the document, the author included; when the broadcast is byte for byte the author's own frame (the update
   * travelled alone), the author already has it, so it is not sent back. A merged broadcast is sent as usual.
   */
  receivedUpdate(frame: Uint8Array): void;
  /** Sends a message (what `ws.send` does once `sendThrough` has replaced it). */
  send(data: unknown, options?: unknown, cb?: unknown): void;
}

/**
 * A socket's sender. A binary message without options: the cached frame goes straight to the socket, written
 * together with the rest of the socket's frames of this event-loop turn (coalescedWrites.ts). Safe
 * because this server never compresses (perMessageDeflate off), so ws keeps no send queue of its own and every
 * frame it writes is also written whole, in order, on the same socket. Anything else goes through ws.
 * A small message equal to the previous small one on this socket (the sync acknowledgement Hocuspocus sends
 * after every update, for instance) reuses that one's frame.
 */
export function framedSender(
  ws: WebSocket,
  socket: Pick<Duplex, 'cork' | 'uncork' | 'write'>,
  counter: SentCounter,
  writes: Pick<CoalescedWrites, 'write'> = coalescedWrites,
): FramedSender {
  return new FramedSends(ws, socket, counter, writes);
}

/**
 * Makes `ws.send` send through `framed`. Not needed where a sender in front of it calls `framed.send` itself
 * (the durable relay on a socket nothing else sends on): that saves a wrapper per socket and a call per message.
 */
export function sendThrough(ws: WebSocket, framed: FramedSender): void {
  ws.send = ((data: unknown, options?: unknown, cb?: unknown) =>
    framed.send(data, options, cb)) as typeof ws.send;
}

/** One socket's sender (a class: one per open socket, its methods shared). */
class FramedSends implements FramedSender {
  readonly #viaWs: (data: unknown, options?: unknown, cb?: unknown) => void;
  #small: Uint8Array | undefined;
  #smallFrame: Buffer | undefined;
  #ownUpdate: Uint8Array | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Pick<Duplex, 'cork' | 'uncork' | 'write'>,
    readonly counter: SentCounter,
    readonly writes: Pick<CoalescedWrites, 'write'>,
  ) {
    this.#viaWs = ws.send as (data: unknown, options?: unknown, cb?: unknown) => void;
  }

  send(data: unknown, options: unknown, cb: unknown) {
    const { ws, socket, writes } = this;
    const direct = options === undefined && cb === undefined && ws.readyState === ws.OPEN;
    if (!direct || !(data instanceof Uint8Array)) {
      if (data instanceof Uint8Array) this.counter.sent(data.byteLength);
      return this.#viaWs.call(ws, data, options, cb);
    }
    if (this.#ownUpdate !== undefined && sameBytes(this.#ownUpdate, data)) {
      this.#ownUpdate = undefined;
      return;
    }
    this.counter.sent(data.byteLength);
    if (data.length >= LARGE_MESSAGE_BYTES) {
      for (const chunk of wsBinaryFrame(Buffer.from(data.buffer, data.byteOffset, data.byteLength)))
        writes.write(socket, chunk);
      return;
    }
    if (data.length > SMALL_MESSAGE_BYTES) return writes.write(socket, binaryFrame(data));
    if (this.#small === undefined || this.#smallFrame === undefined || !sameBytes(this.#small, data)) {
      this.#smallFrame = binaryFrame(data);
      this.#small = data.slice(); // a copy: the sender may reuse its array
    }
    writes.write(socket, this.#smallFrame);
  }

  receivedUpdate(frame: Uint8Array): void {
    this.#ownUpdate = frame.slice();
  }
}
