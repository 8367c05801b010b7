// Coalesces what one socket is sent into few system calls (issue #19, point 2).
//
// A document update goes to every connection of the document, one frame each; with one write() per frame the
// server makes a system call per (update, peer): in a class of 200 typing at once, about 200,000 a second.
// Here the first frame written to a socket corks it, and the socket is uncorked later, when all it was sent
// leaves in one writev:
// - a socket that has not been flushed for FLUSH_WINDOW_MS is uncorked at the end of this turn of the event
//   loop (setImmediate: after the turn's I/O callbacks, before the next poll), so a quiet socket gets its
//   frames with no added delay;
// - a socket flushed less than FLUSH_WINDOW_MS ago waits for the window's timer, so a busy socket is written to
//   at most once per window whatever the rate, at a cost of at most FLUSH_WINDOW_MS of latency.
// Order is kept: anything else written to the socket meanwhile (ws's own frames, a close frame) is queued
// behind the corked frames by Node's stream, and `end()` uncorks by itself.
import type { Duplex } from 'node:stream';

type Corkable = Pick<Duplex, 'cork' | 'uncork' | 'write'>;

/** The longest a frame waits for the frames after it on a busy socket. */
export const FLUSH_WINDOW_MS = 5;

/** When each socket was last uncorked (ms, performance.now()). */
const lastFlush = new WeakMap<Corkable, number>();
const corked = new Set<Corkable>();
let endOfTurn: Corkable[] = [];
let endOfWindow: Corkable[] = [];
let turnScheduled = false;
let windowScheduled = false;

function flush(sockets: Corkable[]): void {
  const now = performance.now();
  for (const socket of sockets) {
    corked.delete(socket);
    lastFlush.set(socket, now);
    socket.uncork();
  }
}

function flushTurn(): void {
  turnScheduled = false;
  const sockets = endOfTurn;
  endOfTurn = [];
  flush(sockets);
}

function flushWindow(): void {
  windowScheduled = false;
  const sockets = endOfWindow;
  endOfWindow = [];
  flush(sockets);
}

/** Writes `chunk` to `socket`, together with whatever else it is sent before the socket is next flushed. */
export function writeCoalesced(socket: Corkable, chunk: Uint8Array): void {
  if (!corked.has(socket)) {
    socket.cork();
    corked.add(socket);
    const now = performance.now();
    if (now - (lastFlush.get(socket) ?? Number.NEGATIVE_INFINITY) >= FLUSH_WINDOW_MS) {
      endOfTurn.push(socket);
      if (!turnScheduled) {
        turnScheduled = true;
        setImmediate(flushTurn);
      }
    } else {
      endOfWindow.push(socket);
      if (!windowScheduled) {
        windowScheduled = true;
        setTimeout(flushWindow, FLUSH_WINDOW_MS);
      }
    }
  }
  socket.write(chunk);
}
