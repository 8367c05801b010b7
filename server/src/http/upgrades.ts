// Routes HTTP upgrade requests to WebSocket endpoints by path prefix; anything else gets a 404.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => void;

export interface UpgradeRouter {
  /** `prefix` matches the exact path or anything below it (`/yjs` matches `/yjs/a/b`). */
  on(prefix: string, handler: UpgradeHandler): void;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export function createUpgradeRouter(): UpgradeRouter {
  const routes: { prefix: string; handler: UpgradeHandler }[] = [];
  return {
    on(prefix, handler) {
      routes.push({ prefix, handler });
      routes.sort((a, b) => b.prefix.length - a.prefix.length);
    },
    handle(req, socket, head) {
      socket.on('error', () => socket.destroy());
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        return rejectUpgrade(socket, 400, 'Bad Request');
      }
      const route = routes.find((r) => url.pathname === r.prefix || url.pathname.startsWith(`${r.prefix}/`));
      if (!route) return rejectUpgrade(socket, 404, 'Not Found');
      route.handler(req, socket, head, url);
    },
  };
}

export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
