// Coalesces what one socket is sent within an event-loop turn into one system call (issue #19, point 2).
//
// A document update goes to every connection of the document, one frame each; with one write() per frame the
// server makes a system call per (update, peer). Here the first frame a socket is sent in a turn corks the
// socket, and every socket corked in that turn is uncorked once the turn's I/O callbacks have run
// (setImmediate: the loop's check phase, before any timer or the next poll), so all the frames it was sent
// leave in one writev. Nothing waits for a timer: the latency added is the rest of the current turn.
// Order is kept: anything else written to the socket meanwhile (ws's own frames, a close frame) is queued
// behind the corked frames by Node's stream; `end()` uncorks by itself.
import type { Duplex } from 'node:stream';

type Corkable = Pick<Duplex, 'cork' | 'uncork' | 'write'>;

let corked = new Set<Corkable>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  const sockets = corked;
  corked = new Set();
  for (const socket of sockets) socket.uncork();
}

/** Writes `chunk` to `socket`, together with whatever else it is sent in this turn of the event loop. */
export function writeCoalesced(socket: Corkable, chunk: Uint8Array): void {
  if (!corked.has(socket)) {
    socket.cork();
    corked.add(socket);
    if (!scheduled) {
      scheduled = true;
      setImmediate(uncorkAll);
    }
  }
  socket.write(chunk);
}
