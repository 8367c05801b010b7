// A WebSocket client cheap enough to run hundreds of in one process next to a server under test: a plain TCP
// socket, the upgrade written by hand, precomputed masked frames out, and incoming frames only parsed far enough
// to see each message's first bytes and its length (a 1.4 MB sync step 2 is counted, never copied or decoded).
import crypto from 'node:crypto';
import net from 'node:net';

/** The first bytes of each received message, enough to read a document address and a message type. */
const PREFIX_BYTES = 96;

export interface ReceivedMessage {
  /** The message's first bytes (all of it for a socket opened with wholeMessages). */
  prefix: Uint8Array;
  length: number;
}

/** A client-to-server binary frame (RFC 6455 5.2): masked, with a zero mask key so the payload is unchanged. */
export function clientFrame(payload: Uint8Array): Buffer {
  const n = payload.byteLength;
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.alloc(head + 4 + n);
  frame[0] = 0x82;
  if (n < 126) frame[1] = 0x80 | n;
  else if (n < 65_536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.set(payload, head + 4);
  return frame;
}

export class RawSocket {
  bytesReceived = 0;
  private header = Buffer.alloc(0);
  private prefix: Buffer[] = [];
  private prefixLength = 0;
  private left = -1;
  private messageLength = 0;
  private opcode = 0;

  private constructor(
    private readonly socket: net.Socket,
    private readonly onMessage: (m: ReceivedMessage) => void,
    private readonly prefixBytes: number,
  ) {}

  /**
   * Opens `ws://host:port/path`; resolves once the upgrade is answered with 101. `wholeMessages` hands each
   * message over complete instead of its first bytes (for the few sockets that decode what they get).
   */
  static open(
    url: string,
    onMessage: (m: ReceivedMessage) => void,
    wholeMessages = false,
  ): Promise<RawSocket> {
    const { hostname, port, pathname, search } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      socket.setNoDelay(true);
      const raw = new RawSocket(socket, onMessage, wholeMessages ? Number.POSITIVE_INFINITY : PREFIX_BYTES);
      let response = Buffer.alloc(0);
      const onHandshake = (chunk: Buffer) => {
        response = Buffer.concat([response, chunk]);
        const end = response.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onHandshake);
        if (!response.subarray(0, 12).toString().includes('101')) {
          socket.destroy();
          return reject(
            new Error(`upgrade refused: ${response.subarray(0, end).toString().split('\r\n')[0]}`),
          );
        }
        socket.on('data', (c: Buffer) => raw.read(c));
        resolve(raw);
        if (end + 4 < response.length) raw.read(response.subarray(end + 4));
      };
      socket.on('data', onHandshake);
      socket.once('error', reject);
      socket.once('connect', () => {
        const key = crypto.randomBytes(16).toString('base64');
        socket.write(
          `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
            `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
    });
  }

  send(frame: Buffer): void {
    this.socket.write(frame);
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    let at = 0;
    while (at < chunk.length) {
      if (this.left < 0) {
        // Collecting a frame header (2, 4 or 10 bytes; server frames are unmasked).
        const need = 2 - this.header.length;
        if (need > 0) {
          this.header = Buffer.concat([this.header, chunk.subarray(at, at + need)]);
          at += Math.min(need, chunk.length - at);
          if (this.header.length < 2) return;
        }
        const len7 = this.header[1]! & 0x7f;
        const size = len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
        if (this.header.length < size) {
          const take = Math.min(size - this.header.length, chunk.length - at);
          this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)]);
          at += take;
          if (this.header.length < size) return;
        }
        this.opcode = this.header[0]! & 0x0f;
        this.left =
          len7 === 126
            ? this.header.readUInt16BE(2)
            : len7 === 127
              ? Number(this.header.readBigUInt64BE(2))
              : len7;
        this.messageLength = this.left;
        this.header = Buffer.alloc(0);
        this.prefix = [];
        this.prefixLength = 0;
      }
      const take = Math.min(this.left, chunk.length - at);
      if (this.prefixLength < this.prefixBytes && take > 0) {
        const part = chunk.subarray(at, at + Math.min(take, this.prefixBytes - this.prefixLength));
        this.prefix.push(Buffer.from(part));
        this.prefixLength += part.length;
      }
      at += take;
      this.left -= take;
      if (this.left === 0) {
        this.left = -1;
        if (this.opcode === 0x2) {
          this.onMessage({ prefix: Buffer.concat(this.prefix), length: this.messageLength });
        } else if (this.opcode === 0x9) {
          this.socket.write(Buffer.from([0x8a, 0x80, 0, 0, 0, 0])); // pong, empty
        }
      }
    }
  }
}
