// Coalesces what one socket is sent into few system calls (issue #19, point 2).
//
// A document update goes to every connection of the document, one frame each; with one write() per frame the
// server makes a system call per (update, peer): in a class of 200 typing at once, about 200,000 a second.
// Here the first frame written to a socket corks it, and the socket is uncorked later, when all it was sent
// leaves in one writev:
// - a socket not flushed in the last FLUSH_WINDOW_MS is uncorked at the end of this turn of the event loop
//   (setImmediate: after the turn's I/O callbacks, before the next poll), so a quiet socket gets its frames
//   with no added delay;
// - a busy socket (flushed less than FLUSH_WINDOW_MS ago) waits for the window's timer, so it is written to at
//   most once per window whatever the rate, for at most FLUSH_WINDOW_MS of added latency. Only a socket sent
//   frames less than FLUSH_WINDOW_MS apart is ever held: batching under load, never when quiet, like Nagle's
//   algorithm in TCP.
// Order is kept: anything else written to the socket meanwhile (ws's own frames, a close frame) is queued
// behind the corked frames by Node's stream, and `end()` uncorks by itself.
import type { Duplex } from 'node:stream';

type Corkable = Pick<Duplex, 'cork' | 'uncork' | 'write'>;

/**
 * The longest a frame waits for the frames after it on a busy socket. 10 ms rather than 5: in a class of 200
 * with cursors it writes each socket half as often for 20 % less server CPU, with p99 no worse and p50 2 ms
 * later; typing at 2,000 updates/s gets 1 ms later at p50 (docs/benchmarks.md, issue #19 class scenarios).
 */
export const FLUSH_WINDOW_MS = 10;

export class CoalescedWrites {
  /** When each socket was last uncorked (ms, performance.now()). */
  private readonly lastFlush = new WeakMap<Corkable, number>();
  private readonly corked = new Set<Corkable>();
  private endOfTurn: Corkable[] = [];
  private endOfWindow: Corkable[] = [];
  private turnScheduled = false;
  private windowScheduled = false;

  /** Writes `chunk` to `socket`, together with whatever else it is sent before the socket is next flushed. */
  write(socket: Corkable, chunk: Uint8Array): void {
    if (!this.corked.has(socket)) {
      socket.cork();
      this.corked.add(socket);
      const now = performance.now();
      const recent = now - (this.lastFlush.get(socket) ?? Number.NEGATIVE_INFINITY) < FLUSH_WINDOW_MS;
      if (recent) {
        this.endOfWindow.push(socket);
        if (!this.windowScheduled) {
          this.windowScheduled = true;
          setTimeout(this.flushWindow, FLUSH_WINDOW_MS);
        }
      } else {
        this.endOfTurn.push(socket);
        if (!this.turnScheduled) {
          this.turnScheduled = true;
          setImmediate(this.flushTurn);
        }
      }
    }
    socket.write(chunk);
  }

  private flush(sockets: Corkable[]): void {
    const now = performance.now();
    for (const socket of sockets) {
      this.corked.delete(socket);
      this.lastFlush.set(socket, now);
      socket.uncork();
    }
  }

  private readonly flushTurn = () => {
    this.turnScheduled = false;
    const sockets = this.endOfTurn;
    this.endOfTurn = [];
    this.flush(sockets);
  };

  private readonly flushWindow = () => {
    this.windowScheduled = false;
    const sockets = this.endOfWindow;
    this.endOfWindow = [];
    this.flush(sockets);
  };
}

/** The process's coalescer, shared by every collaboration socket. */
export const coalescedWrites = new CoalescedWrites();
