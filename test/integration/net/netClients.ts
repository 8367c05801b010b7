// Raw network clients for the hostile-input tests: a `ws` socket that reports how it ended (HTTP refusal
// with headers, or close code and reason), and a `net` socket for requests written byte by byte.
import net from 'node:net';
import WebSocket from 'ws';
import type { TestServer } from '../../helpers/server.ts';

export type WsOutcome =
  | { kind: 'refused'; status: number; headers: Record<string, string | string[] | undefined> }
  | { kind: 'closed'; code: number; reason: string };

export interface RawWs {
  ws: WebSocket;
  opened: Promise<boolean>;
  ended: Promise<WsOutcome>;
}

export function openWs(server: TestServer, path: string, headers: Record<string, string> = {}): RawWs {
  const ws = new WebSocket(`${server.wsUrl}${path}`, { headers });
  ws.binaryType = 'nodebuffer';
  let settleOpen: (open: boolean) => void = () => undefined;
  const opened = new Promise<boolean>((resolve) => {
    settleOpen = resolve;
  });
  const ended = new Promise<WsOutcome>((resolve) => {
    ws.on('open', () => settleOpen(true));
    ws.on('unexpected-response', (_req, res) => {
      settleOpen(false);
      resolve({ kind: 'refused', status: res.statusCode ?? 0, headers: res.headers });
      res.resume();
      ws.terminate();
    });
    ws.on('close', (code, reason) => {
      settleOpen(false);
      resolve({ kind: 'closed', code, reason: reason.toString() });
    });
    ws.on('error', () => undefined);
  });
  return { ws, opened, ended };
}

export interface RawConnection {
  socket: net.Socket;
  /** Everything the server wrote, as text. */
  received(): string;
  /** Resolves with the time (ms since connecting) at which the server closed the connection. */
  closed: Promise<number>;
}

export function connectRaw(server: TestServer): Promise<RawConnection> {
  const startedAt = Date.now();
  const socket = net.connect(Number(server.url.port), '127.0.0.1');
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - startedAt)));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Writes one raw HTTP request and resolves with the whole response once the server closes. */
export async function rawRequest(server: TestServer, request: string): Promise<string> {
  const conn = await connectRaw(server);
  conn.socket.end(request);
  await conn.closed;
  return conn.received();
}
