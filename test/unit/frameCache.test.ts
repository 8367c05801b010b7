import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { CoalescedWrites, FLUSH_WINDOW_MS } from '../../server/src/collab/coalescedWrites.ts';
import {
  binaryFrame,
  framedSender,
  LARGE_MESSAGE_BYTES,
  sendThrough,
} from '../../server/src/collab/frameCache.ts';

/** Reads one unmasked server frame (RFC 6455 section 5.2): FIN + opcode, payload length, payload. */
function parse(frame: Buffer) {
  const first = frame[0]!;
  let length = frame[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    length = frame.readUInt16BE(2);
    at = 4;
  } else if (length === 127) {
    length = Number(frame.readBigUInt64BE(2));
    at = 10;
  }
  return {
    fin: (first & 0x80) !== 0,
    opcode: first & 0x0f,
    masked: (frame[1]! & 0x80) !== 0,
    payload: frame.subarray(at),
    length,
  };
}

describe('binaryFrame', () => {
  it.each([0, 5, 125, 126, 65_535, 65_536, 200_000])(
    'frames a %i-byte message as one binary frame',
    (size) => {
      const message = new Uint8Array(size).map((_, i) => i % 251);
      const parsed = parse(binaryFrame(message));
      expect(parsed).toMatchObject({ fin: true, opcode: 2, masked: false, length: size });
      expect(new Uint8Array(parsed.payload)).toEqual(message);
    },
  );

  it('frames a message once for all its peers, and a new message anew', () => {
    const broadcast = new Uint8Array([1, 2, 3]);
    const first = binaryFrame(broadcast);
    expect(binaryFrame(broadcast)).toBe(first);
    const next = new Uint8Array([1, 2, 3]);
    expect(binaryFrame(next)).not.toBe(first);
    // A view into a larger buffer carries only its own bytes.
    const backing = new Uint8Array([9, 9, 4, 5, 9]);
    expect([...parse(binaryFrame(backing.subarray(2, 4))).payload]).toEqual([4, 5]);
  });
});

describe('framedSender through ws.send', () => {
  /** A WebSocket stand-in with ws's `send` and `readyState`, writing to a recording socket. */
  function harness() {
    const writes: Buffer[] = [];
    /** The chunks of each system call the socket would make: one per write, or all of a writev. */
    const calls: Buffer[][] = [];
    const viaWs: unknown[][] = [];
    const socket = new Writable({
      write(chunk, _enc, done) {
        writes.push(chunk);
        calls.push([chunk]);
        done();
      },
      writev(chunks, done) {
        for (const { chunk } of chunks) writes.push(chunk);
        calls.push(chunks.map(({ chunk }) => chunk));
        done();
      },
    });
    const ws = {
      OPEN: 1,
      readyState: 1,
      send: (...args: unknown[]) => void viaWs.push(args),
    } as unknown as WebSocket;
    let sent = 0;
    const counter = {
      sent: (bytes: number) => {
        sent += bytes;
      },
    };
    const sender = framedSender(ws, socket, counter, new CoalescedWrites());
    sendThrough(ws, sender);
    return { ws, socket, sender, writes, calls, viaWs, sent: () => sent };
  }

  it('writes whole frames to the socket; a repeated small message reuses its frame, a changed one does not', async () => {
    const { ws, writes, viaWs, sent } = harness();
    const ack = new Uint8Array([4, 1, 2, 8, 1]);
    ws.send(ack);
    ws.send(new Uint8Array([4, 1, 2, 8, 1]));
    ack[4] = 0; // the sender reusing its array must not change what was cached
    ws.send(new Uint8Array([4, 1, 2, 8, 0]));
    await nextTurn();
    expect(writes.map((w) => [...parse(w).payload])).toEqual([
      [4, 1, 2, 8, 1],
      [4, 1, 2, 8, 1],
      [4, 1, 2, 8, 0],
    ]);
    expect(writes[1]).toBe(writes[0]);
    expect(viaWs).toEqual([]);
    expect(sent()).toBe(15);
  });

  it('leaves messages with options, callbacks or text, and sockets that are not open, to ws', () => {
    const { ws, writes, viaWs } = harness();
    const cb = () => {};
    ws.send(new Uint8Array([1]), { binary: true });
    ws.send(new Uint8Array([2]), cb);
    ws.send('text');
    (ws as { readyState: number }).readyState = 2;
    ws.send(new Uint8Array([3]));
    expect(writes).toEqual([]);
    expect(viaWs.map((args) => args[0])).toEqual([
      new Uint8Array([1]),
      new Uint8Array([2]),
      'text',
      new Uint8Array([3]),
    ]);
  });

  it("does not send a socket's own update back to it, but does send a merged broadcast and the next update", async () => {
    const { ws, sender, writes } = harness();
    const own = new Uint8Array([1, 0x61, 0, 2, 3, 7, 7, 7]);
    sender.receivedUpdate(own);
    ws.send(new Uint8Array(own)); // the broadcast of exactly that update: the author has it
    ws.send(new Uint8Array(own)); // a second time it is not the echo any more
    sender.receivedUpdate(own);
    const merged = new Uint8Array([1, 0x61, 0, 2, 4, 7, 7, 7, 8]);
    ws.send(merged);
    await nextTurn();
    expect(writes.map((w) => [...parse(w).payload])).toEqual([[...own], [...merged]]);
  });

  it('sends what a quiet socket gets in one turn of the event loop with one system call, in order with its other writes', async () => {
    const { ws, socket, writes, calls } = harness();
    ws.send(new Uint8Array(100).fill(1));
    ws.send(new Uint8Array([4, 1, 2, 8, 1]));
    socket.write(Buffer.from([0x88, 0])); // ws's own frame (a close) written meanwhile stays behind them
    ws.send(new Uint8Array(100).fill(2));
    expect(writes).toEqual([]);
    await nextTurn();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(4);
    expect(calls[0]?.[2]).toEqual(Buffer.from([0x88, 0]));
    expect([parse(writes[0] as Buffer).payload[0], parse(writes[3] as Buffer).payload[0]]).toEqual([1, 2]);
    expect(socket.writableCorked).toBe(0);
  });

  it('writes to a busy socket at most once per flush window, however many turns send to it', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
    try {
      const { ws, socket, calls } = harness();
      ws.send(new Uint8Array([4, 1, 2, 8, 1]));
      vi.advanceTimersToNextTimer(); // the end of this turn
      expect(calls).toHaveLength(1);
      // Sent again within the window, over several turns: held for the window's end.
      vi.advanceTimersByTime(1);
      ws.send(new Uint8Array([4, 1, 2, 8, 0]));
      vi.advanceTimersByTime(1);
      ws.send(new Uint8Array([4, 1, 2, 8, 1]));
      vi.advanceTimersByTime(FLUSH_WINDOW_MS - 2);
      expect(calls).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(calls).toHaveLength(2);
      expect(calls[1]).toHaveLength(2);
      expect(socket.writableCorked).toBe(0);
      // Quiet for a window: the next frame goes out at the end of its turn.
      vi.advanceTimersByTime(FLUSH_WINDOW_MS);
      ws.send(new Uint8Array([4, 1, 2, 8, 0]));
      vi.advanceTimersToNextTimer();
      expect(calls).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes a large message as the frame header and the message itself, never a copy', async () => {
    const { ws, calls } = harness();
    const big = new Uint8Array(LARGE_MESSAGE_BYTES + 10).fill(7);
    ws.send(big);
    await nextTurn();
    expect(calls).toHaveLength(1);
    const [header, payload] = calls[0] as [Buffer, Buffer];
    expect(payload.buffer).toBe(big.buffer);
    expect(payload.byteLength).toBe(big.byteLength);
    const frame = parse(Buffer.concat([header, payload]));
    expect(frame.payload.byteLength).toBe(big.byteLength);
  });

  it('frees a socket that ended while corked', async () => {
    const { ws, socket, writes } = harness();
    ws.send(new Uint8Array([4, 1, 2, 8, 1]));
    socket.end();
    expect(writes).toHaveLength(1); // end() flushes what was corked
    await nextTurn();
    expect(socket.writableCorked).toBe(0);
  });
});

/** Resolves after the current turn of the event loop, once a quiet socket's coalesced writes have gone out. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
