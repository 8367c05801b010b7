// Deadlines of the HTTP server itself: headers (also of upgrade requests) must arrive within
// HEADERS_TIMEOUT_MS and a whole request within that plus BODY_TIMEOUT_MS; a broken or late request gets a
// short refusal with the API security headers instead of a silently dropped socket.
import type http from 'node:http';
import type { Config } from '../config.ts';
import { rejectUpgrade } from './upgrades.ts';

/** Node checks its request deadlines on an interval (30 s by default, which would stretch them). */
const MAX_CHECK_INTERVAL_MS = 1000;

export function installServerDeadlines(
  server: http.Server,
  network: Config['network'],
  onRefused: (reason: string) => void,
): void {
  server.headersTimeout = network.headersTimeoutMs;
  server.requestTimeout = network.headersTimeoutMs + network.bodyTimeoutMs;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    onRefused(timedOut ? 'request_timeout' : 'bad_http');
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    if (timedOut) return rejectUpgrade(socket, 408, 'Request Timeout');
    if (error.code === 'HPE_HEADER_OVERFLOW') return rejectUpgrade(socket, 431, 'Header Too Large');
    rejectUpgrade(socket, 400, 'Bad Request');
  });
}

/** Options for http.createServer so the deadlines above are enforced to within a second. */
export function deadlineServerOptions(network: Config['network']): http.ServerOptions {
  const interval = Math.min(MAX_CHECK_INTERVAL_MS, Math.max(50, Math.floor(network.headersTimeoutMs / 4)));
  return { connectionsCheckingInterval: interval };
}
