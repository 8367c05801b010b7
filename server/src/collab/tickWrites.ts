// Coalesces what one socket is sent during one event-loop turn (or a short window) into one system call. The
// first write corks the socket; all sockets corked meanwhile are uncorked together at the end of the turn
// (setImmediate) or of the window (SOCKET_WRITE_WINDOW_MS), when Node hands each one's buffered frames to the
// kernel in one writev. Everything written to the socket (ws's own frames, close and ping included) goes through
// the same stream buffer, so order is unchanged; end() uncorks by itself. Measured in docs/benchmarks.md,
// "Performance targets (#19)": system calls per delivered update, and what a window buys.
import type { Duplex } from 'node:stream';

type Corkable = Pick<Duplex, 'cork' | 'uncork'>;

/** Holds a socket's writes until the current turn or window ends (once per socket per turn or window). */
export type HoldWrites = (socket: Corkable) => void;

/** A coalescer whose sockets are uncorked together each turn (windowMs 0) or every windowMs. */
export function createWriteCoalescer(windowMs: number): HoldWrites {
  let corked = new Set<Corkable>();
  let scheduled = false;
  const uncorkAll = () => {
    scheduled = false;
    const sockets = corked;
    corked = new Set();
    for (const socket of sockets) socket.uncork();
  };
  return (socket) => {
    if (corked.has(socket)) return;
    socket.cork();
    corked.add(socket);
    if (scheduled) return;
    scheduled = true;
    if (windowMs === 0) setImmediate(uncorkAll);
    else setTimeout(uncorkAll, windowMs);
  };
}

/** One event-loop turn. */
export const holdForThisTurn: HoldWrites = createWriteCoalescer(0);
