// The last line of defence for network handlers: an exception raised while handling one connection closes
// that connection (WebSocket close 1011, a 500 refusal for an upgrade), is logged and counted in
// tandem_connection_errors_total{endpoint}, and never reaches the process.
import type { Duplex } from 'node:stream';
import { CLOSE_CODES } from '@tandem/shared';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger.ts';

export interface ConnectionGuard {
  /** Wraps a WebSocket event handler: a throw (or rejection) closes `ws` with 1011. */
  socket<A extends unknown[]>(
    endpoint: string,
    ws: WebSocket,
    fn: (...args: A) => unknown,
  ): (...args: A) => void;
  /** What a wrapped handler's throw gets: recorded, and `ws` closed with 1011 (for handlers that catch their own). */
  fail(endpoint: string, ws: WebSocket, error: unknown): void;
  /** Runs an upgrade handler: a throw refuses the upgrade with 500 (or closes the socket). */
  upgrade(endpoint: string, socket: Duplex, fn: () => void, refuse: (status: number) => void): void;
  /**
   * Listens for `ws`'s 'error' events from the moment it exists. ws reports protocol errors (an oversize or
   * malformed frame) as events and closes the socket itself; with no listener, even on a socket being
   * refused, the event would be thrown at the process.
   */
  watch(endpoint: string, ws: WebSocket): void;
  /** Records an error handled elsewhere (the HTTP handler's own catch). */
  record(endpoint: string, error: unknown): void;
}

export function createConnectionGuard(log: Logger, count: (endpoint: string) => void): ConnectionGuard {
  const record = (endpoint: string, error: unknown) => {
    count(endpoint);
    log.error({ err: error, endpoint }, 'connection handler failed; closing that connection only');
  };
  const closeOnError = (endpoint: string, ws: WebSocket, error: unknown) => {
    record(endpoint, error);
    try {
      ws.close(CLOSE_CODES.internal, 'internal server error; the incident was logged');
    } catch {
      ws.terminate();
    }
  };
  return {
    fail: closeOnError,
    socket(endpoint, ws, fn) {
      const fail = (error: unknown) => closeOnError(endpoint, ws, error);
      return (...args) => {
        try {
          const result = fn(...args);
          if (result instanceof Promise) result.catch(fail);
        } catch (error) {
          fail(error);
        }
      };
    },
    upgrade(endpoint, socket, fn, refuse) {
      try {
        fn();
      } catch (error) {
        record(endpoint, error);
        // Before the handshake a 500 can still be written; after it, the socket is the WebSocket's.
        if (socket.writable) refuse(500);
        else socket.destroy();
      }
    },
    watch(endpoint, ws) {
      ws.on('error', (error) => log.debug({ err: error, endpoint }, 'socket error'));
    },
    record,
  };
}
