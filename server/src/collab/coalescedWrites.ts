// Coalesces what one socket is sent into few system calls (issue #19, point 2).
//
// A document update goes to every connection of the document, one frame each; with one write() per frame the
// server makes a system call per (update, peer): in a class of 200 typing at once, about 200,000 a second.
// Here the first frame written to a socket corks it, and the socket is uncorked later, when all it was sent
// leaves in one writev:
// - normally at the end of this turn of the event loop (setImmediate: after the turn's I/O callbacks, before the
//   next poll), which adds no delay;
// - while the server is busy (its event loop more than 60 % used, until it falls under 35 %), a socket
//   flushed less than FLUSH_WINDOW_MS ago waits for the window's timer instead, so a busy socket is written to
//   at most once per window whatever the rate, for at most FLUSH_WINDOW_MS of added latency. Batching under
//   load and never when idle, as Nagle's algorithm does for TCP.
// Order is kept: anything else written to the socket meanwhile (ws's own frames, a close frame) is queued
// behind the corked frames by Node's stream, and `end()` uncorks by itself.

import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';

type Corkable = Pick<Duplex, 'cork' | 'uncork' | 'write'>;

/** The longest a frame waits for the frames after it on a busy socket of a busy server. */
export const FLUSH_WINDOW_MS = 5;
/** Event-loop utilisation from which busy sockets wait for the window, and under which they stop waiting. */
export const BUSY_FROM = 0.6;
export const QUIET_UNDER = 0.35;
/** How often the event loop's utilisation is read (at a write, never by a timer of its own). */
const LOAD_SAMPLE_MS = 250;

/** Whether the event loop is busy: utilisation over the last sample, with hysteresis. */
export function eventLoopLoad(): () => boolean {
  let busy = false;
  let last = performance.eventLoopUtilization();
  let sampledAt = performance.now();
  return () => {
    const now = performance.now();
    if (now - sampledAt >= LOAD_SAMPLE_MS) {
      const current = performance.eventLoopUtilization();
      const { utilization } = performance.eventLoopUtilization(current, last);
      last = current;
      sampledAt = now;
      busy = busy ? utilization >= QUIET_UNDER : utilization >= BUSY_FROM;
    }
    return busy;
  };
}

export class CoalescedWrites {
  /** When each socket was last uncorked (ms, performance.now()). */
  private readonly lastFlush = new WeakMap<Corkable, number>();
  private readonly corked = new Set<Corkable>();
  private endOfTurn: Corkable[] = [];
  private endOfWindow: Corkable[] = [];
  private turnScheduled = false;
  private windowScheduled = false;

  constructor(private readonly busy: () => boolean = eventLoopLoad()) {}

  /** Writes `chunk` to `socket`, together with whatever else it is sent before the socket is next flushed. */
  write(socket: Corkable, chunk: Uint8Array): void {
    if (!this.corked.has(socket)) {
      socket.cork();
      this.corked.add(socket);
      const now = performance.now();
      const recent = now - (this.lastFlush.get(socket) ?? Number.NEGATIVE_INFINITY) < FLUSH_WINDOW_MS;
      if (recent && this.busy()) {
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
