// Forwarding to the class's owner node. A WebSocket upgrade is piped as raw TCP (the request head is written
// again with the peer header, then bytes flow both ways untouched: the owner does the WebSocket handshake and
// everything after it). A REST request is proxied with node:http, its body and reply streamed.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import http from '../http/nodeHttp.ts';
import { rejectUpgrade } from '../http/upgrades.ts';
import { PEER_HEADER } from './peerHeader.ts';

/** How long a peer has to accept the TCP connection before the client gets 502. */
const CONNECT_TIMEOUT_MS = 5000;
/** Hop-by-hop headers a proxy must not pass on (RFC 9110 7.6.1), and our own, which is set afresh. */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'upgrade',
  PEER_HEADER,
]);

export function forwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: URL,
  peerHeader: string,
): void {
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const upstream =
    target.protocol === 'https:'
      ? tls.connect({ host: target.hostname, port, servername: target.hostname })
      : net.connect({ host: target.hostname, port });
  let connected = false;
  upstream.setTimeout(CONNECT_TIMEOUT_MS, () => upstream.destroy(new Error('peer did not answer')));
  upstream.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
    connected = true;
    upstream.setTimeout(0);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? '';
      if (name.toLowerCase() === PEER_HEADER) continue;
      lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ''}`);
    }
    lines.push(`${PEER_HEADER}: ${peerHeader}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  upstream.on('error', () => {
    if (!connected) rejectUpgrade(socket, 502, 'Bad Gateway');
    else socket.destroy();
  });
  upstream.on('close', () => socket.destroy());
  socket.on('close', () => upstream.destroy());
  socket.on('error', () => upstream.destroy());
}

export function forwardHttp(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  peerHeader: string,
): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!DROPPED.has(name) && value !== undefined) headers[name] = value;
  }
  headers[PEER_HEADER] = peerHeader;
  const request = (target.protocol === 'https:' ? https : http).request({
    host: target.hostname,
    port: Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
    method: req.method,
    path: req.url,
    headers,
    timeout: CONNECT_TIMEOUT_MS,
  });
  request.on('timeout', () => request.destroy(new Error('peer did not answer')));
  request.on('response', (reply) => {
    request.setTimeout(0);
    const out: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(reply.headers)) {
      if (!DROPPED.has(name) && value !== undefined) out[name] = value;
    }
    res.writeHead(reply.statusCode ?? 502, out);
    reply.pipe(res);
    reply.on('error', () => res.destroy());
  });
  request.on('error', () => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(
      JSON.stringify({
        error: { code: 'unavailable', message: 'the node serving this class did not answer; retry' },
      }),
    );
  });
  req.pipe(request);
  res.on('close', () => request.destroy());
}
