// Routes HTTP upgrade requests to WebSocket endpoints by path prefix; anything else gets a 404. Every upgrade
// is admitted first (per-address socket cap) and runs behind the connection guard, so a handler that throws
// refuses that one upgrade instead of stopping the process.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type AppError, toAppError } from '../errors.ts';
import type { Admission, Ticket } from '../net/Admission.ts';
import type { ClientAddressOf } from '../net/clientAddress.ts';
import { limitKey } from '../net/clientAddress.ts';
import type { ConnectionGuard } from '../net/connectionGuard.ts';
import { API_HEADER_LINES } from './securityHeaders.ts';

/** What the router learned about an upgrade before handing it on. */
export interface UpgradeInfo {
  /** The client's address (after TRUSTED_PROXIES). */
  address: string;
  /** This socket's hold on its address's (and later its user's) caps; released when the socket closes. */
  ticket: Ticket;
}

export type UpgradeHandler = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
  info: UpgradeInfo,
) => void;

export interface UpgradeRouter {
  /** `prefix` matches the exact path or anything below it (`/yjs` matches `/yjs/a/b`). */
  on(prefix: string, handler: UpgradeHandler): void;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface UpgradeRouterDeps {
  guard: ConnectionGuard;
  admission: Admission;
  clientAddress: ClientAddressOf;
}

export function createUpgradeRouter(deps: UpgradeRouterDeps): UpgradeRouter {
  const routes: { prefix: string; handler: UpgradeHandler }[] = [];
  return {
    on(prefix, handler) {
      routes.push({ prefix, handler });
      routes.sort((a, b) => b.prefix.length - a.prefix.length);
    },
    handle(req, socket, head) {
      socket.on('error', destroyOnError);
      deps.guard.upgrade(
        'upgrade',
        socket,
        () => {
          let url: URL;
          try {
            url = new URL(req.url ?? '/', 'http://localhost');
          } catch {
            return rejectUpgrade(socket, 400, 'Bad Request');
          }
          const route = routes.find(
            (r) => url.pathname === r.prefix || url.pathname.startsWith(`${r.prefix}/`),
          );
          if (!route) return rejectUpgrade(socket, 404, 'Not Found');
          const address = deps.clientAddress(req);
          let ticket: Ticket;
          try {
            ticket = deps.admission.admit(limitKey(address));
          } catch (error) {
            return refuseWith(socket, toAppError(error));
          }
          releaseOnClose(socket, ticket);
          route.handler(req, socket, head, url, { address, ticket });
        },
        (status) => rejectUpgrade(socket, status, 'Internal Server Error'),
      );
    },
  };
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/**
 * Releases the ticket when the socket closes. A function of its own: a listener created inside `handle` would
 * keep that call's scope (the upgrade request and its headers, ~1 KiB) for the whole life of the socket.
 */
function releaseOnClose(socket: Duplex, ticket: Ticket): void {
  socket.once('close', () => ticket.release());
}

const STATUS_TEXT: Record<number, string> = { 429: 'Too Many Requests', 503: 'Service Unavailable' };

/** Refuses an upgrade with the error's HTTP status (and Retry-After when it has one). */
export function refuseWith(socket: Duplex, error: AppError): void {
  const retry = error.details?.retryAfterSec;
  rejectUpgrade(
    socket,
    error.httpStatus,
    STATUS_TEXT[error.httpStatus] ?? 'Refused',
    typeof retry === 'number' ? `Retry-After: ${retry}\r\n` : '',
  );
}

export function rejectUpgrade(socket: Duplex, status: number, text: string, extraHeaders = ''): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${API_HEADER_LINES}${extraHeaders}\r\n`,
  );
}
