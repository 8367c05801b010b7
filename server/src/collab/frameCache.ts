// Frames an outgoing binary message once for all the peers it goes to. Hocuspocus broadcasts one Uint8Array to
// every connection of a document; ws would frame it again for each of them (a header allocation, cork/uncork
// and a two-chunk writev per peer). Here the finished frame (ws's own framing, `Sender.frame`) is built on the
// first send of a message and written whole, with one write() per peer, until a different message is sent.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import * as wsModule from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
// Public in ws (lib/sender.js, `@public`), not in @types/ws.
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, o: FrameOptions): Buffer[] } };
const BINARY: FrameOptions = { fin: true, opcode: 0x02, mask: false, readOnly: true, rsv1: false };

let lastMessage: Uint8Array | undefined;
let lastFrame: Buffer | undefined;

/** The complete WebSocket frame (server to client, unmasked, binary) carrying `message`. */
export function binaryFrame(message: Uint8Array): Buffer {
  if (message !== lastMessage || lastFrame === undefined) {
    const payload = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    lastFrame = Buffer.concat(Sender.frame(payload, BINARY));
    lastMessage = message;
  }
  return lastFrame;
}

/**
 * Replaces `ws.send` for binary messages without options: the cached frame goes straight to the socket. Safe
 * because this server never compresses (perMessageDeflate off), so ws keeps no send queue of its own and every
 * frame it writes is also written whole, in order, on the same socket. Anything else goes through ws.
 */
export function sendFramed(ws: WebSocket, socket: Duplex, onSent: (bytes: number) => void): void {
  const viaWs = ws.send.bind(ws);
  ws.send = ((data: unknown, options?: unknown, cb?: unknown) => {
    if (data instanceof Uint8Array) onSent(data.byteLength);
    if (
      options === undefined &&
      cb === undefined &&
      data instanceof Uint8Array &&
      ws.readyState === ws.OPEN
    ) {
      socket.write(binaryFrame(data));
      return;
    }
    (viaWs as (d: unknown, o?: unknown, c?: unknown) => void)(data, options, cb);
  }) as typeof ws.send;
}
