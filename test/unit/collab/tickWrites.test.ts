// One writev per socket per event-loop turn: what a socket is sent in one turn is held, in order, and handed on
// together when the turn ends.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createWriteCoalescer, holdForThisTurn } from '../../../server/src/collab/tickWrites.ts';

function recordingSocket() {
  const calls: Buffer[][] = [];
  const socket = new Writable({
    writev(chunks, done) {
      calls.push(chunks.map((c) => c.chunk as Buffer));
      done();
    },
    write(chunk, _encoding, done) {
      calls.push([chunk]);
      done();
    },
  });
  return { socket, calls };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('holdForThisTurn', () => {
  it("hands a turn's writes to the socket in one call, in the order written", async () => {
    const { socket, calls } = recordingSocket();
    for (let i = 0; i < 5; i++) {
      holdForThisTurn(socket);
      socket.write(Buffer.from([i]));
    }
    expect(calls).toEqual([]);
    await nextTurn();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((b) => b[0])).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps sockets apart and starts afresh each turn', async () => {
    const a = recordingSocket();
    const b = recordingSocket();
    holdForThisTurn(a.socket);
    a.socket.write(Buffer.from([1]));
    holdForThisTurn(b.socket);
    b.socket.write(Buffer.from([2]));
    holdForThisTurn(a.socket);
    a.socket.write(Buffer.from([3]));
    await nextTurn();
    holdForThisTurn(a.socket);
    a.socket.write(Buffer.from([4]));
    await nextTurn();
    expect(a.calls.map((c) => c.map((x) => x[0]))).toEqual([[1, 3], [4]]);
    expect(b.calls.map((c) => c.map((x) => x[0]))).toEqual([[2]]);
  });

  it('lets end() flush what is held (a close frame written last stays last)', async () => {
    const { socket, calls } = recordingSocket();
    holdForThisTurn(socket);
    socket.write(Buffer.from([1]));
    socket.end(Buffer.from([0x88]));
    await nextTurn();
    expect(calls.flat().map((x) => x[0])).toEqual([1, 0x88]);
  });
});

describe('createWriteCoalescer with a window', () => {
  it('holds writes across turns until the window ends, then hands them over together, in order', async () => {
    const hold = createWriteCoalescer(30);
    const { socket, calls } = recordingSocket();
    hold(socket);
    socket.write(Buffer.from([1]));
    await nextTurn();
    hold(socket);
    socket.write(Buffer.from([2]));
    expect(calls).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls.map((c) => c.map((x) => x[0]))).toEqual([[1, 2]]);
  });
});
