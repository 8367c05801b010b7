// Coalesces what one socket is sent during one event-loop turn into one system call. The first write of a turn
// corks the socket; all sockets corked this turn are uncorked together in the turn's check phase (setImmediate),
// when Node hands each one's buffered frames to the kernel in one writev. Everything written to the socket (ws's
// own frames, close and ping included) goes through the same stream buffer, so order is unchanged; end() uncorks
// by itself. Measured in docs/benchmarks.md, "Performance targets (#19)": system calls per delivered update.
import type { Duplex } from 'node:stream';

type Corkable = Pick<Duplex, 'cork' | 'uncork'>;

let corked = new Set<Corkable>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  const sockets = corked;
  corked = new Set();
  for (const socket of sockets) socket.uncork();
}

/** Holds the socket's writes until the end of this event-loop turn (once per socket per turn). */
export function holdForThisTurn(socket: Corkable): void {
  if (corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}
