// Frames an outgoing binary message once for all the peers it goes to. Hocuspocus broadcasts one Uint8Array to
// every connection of a document; ws would frame it again for each of them (a header allocation, cork/uncork
// and a two-chunk writev per peer). Here the finished frame (ws's own framing, `Sender.frame`) is built on the
// first send of a message and written whole, with one write() per peer, until a different message is sent.
// What one socket is sent in one event-loop turn reaches the kernel in one writev (tickWrites.ts).
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { wsBinaryFrame } from './libraryInternals.ts';
import { type HoldWrites, holdForThisTurn } from './tickWrites.ts';

let lastMessage: Uint8Array | undefined;
let lastFrame: Buffer | undefined;

/** The complete WebSocket frame (server to client, unmasked, binary) carrying `message`. */
export function binaryFrame(message: Uint8Array): Buffer {
  if (message !== lastMessage || lastFrame === undefined) {
    const payload = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    lastFrame = Buffer.concat(wsBinaryFrame(payload));
    lastMessage = message;
  }
  return lastFrame;
}

/**
 * Messages from this size on are written as ws's header and the message itself, uncopied (one writev); copying
 * them into one frame would cost more than the extra chunk (a 1.4 MB document's step 2, for instance).
 */
const LARGE_MESSAGE_BYTES = 64 * 1024;

/** Messages up to this size are also recognised by content per socket (acknowledgements repeat verbatim). */
const SMALL_MESSAGE_BYTES = 64;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function writeUncopied(socket: Pick<Duplex, 'write' | 'cork' | 'uncork'>, message: Uint8Array): void {
  const chunks = wsBinaryFrame(Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  socket.cork();
  for (const chunk of chunks) socket.write(chunk);
  socket.uncork();
}

export interface FramedSender {
  /**
   * Notes a Yjs update frame this socket sent. Hocuspocus broadcasts each flushed update to every connection of
   * the document, the author included; when the broadcast is byte for byte the author's own frame (the update
   * travelled alone), the author already has it, so it is not sent back. A merged broadcast is sent as usual.
   */
  receivedUpdate(frame: Uint8Array): void;
}

/**
 * Replaces `ws.send` for binary messages without options: the cached frame goes straight to the socket. Safe
 * because this server never compresses (perMessageDeflate off), so ws keeps no send queue of its own and every
 * frame it writes is also written whole, in order, on the same socket. Anything else goes through ws.
 * A small message equal to the previous small one on this socket (the sync acknowledgement Hocuspocus sends
 * after every update, for instance) reuses that one's frame.
 */
export function sendFramed(
  ws: WebSocket,
  socket: Pick<Duplex, 'write' | 'cork' | 'uncork'>,
  onSent: (bytes: number) => void,
  hold: HoldWrites = holdForThisTurn,
): FramedSender {
  const viaWs = ws.send.bind(ws) as (data: unknown, options?: unknown, cb?: unknown) => void;
  let small: Uint8Array | undefined;
  let smallFrame: Buffer | undefined;
  let ownUpdate: Uint8Array | undefined;
  ws.send = ((data: unknown, options?: unknown, cb?: unknown) => {
    const direct = options === undefined && cb === undefined && ws.readyState === ws.OPEN;
    if (!direct || !(data instanceof Uint8Array)) {
      if (data instanceof Uint8Array) onSent(data.byteLength);
      return viaWs(data, options, cb);
    }
    if (ownUpdate !== undefined && sameBytes(ownUpdate, data)) {
      ownUpdate = undefined;
      return;
    }
    onSent(data.byteLength);
    hold(socket);
    if (data.length >= LARGE_MESSAGE_BYTES) return writeUncopied(socket, data);
    if (data.length > SMALL_MESSAGE_BYTES) return void socket.write(binaryFrame(data));
    if (small === undefined || smallFrame === undefined || !sameBytes(small, data)) {
      smallFrame = binaryFrame(data);
      small = data.slice(); // a copy: the sender may reuse its array
    }
    socket.write(smallFrame);
  }) as typeof ws.send;
  return {
    receivedUpdate(frame) {
      ownUpdate = frame.slice();
    },
  };
}
