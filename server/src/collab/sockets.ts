// The two collaboration WebSocket endpoints: /collab (Hocuspocus protocol, many documents per socket) and
// /yjs/<document> (stock y-websocket clients, bridged into the same Hocuspocus documents). Each accepted
// socket's rules are CollabSocket's.
import type { Duplex } from 'node:stream';
import { parseDocumentName } from '@tandem/shared';
import { type WebSocket, WebSocketServer } from 'ws';
import { rejectUpgrade, type UpgradeInfo, type UpgradeRouter } from '../http/upgrades.ts';
import { safeDecodeURIComponent } from '../util/safeDecode.ts';
import { CollabSocket, type CollabSocketDeps } from './CollabSocket.ts';
import type { SocketState } from './context.ts';

export function installCollabSockets(upgrades: UpgradeRouter, deps: CollabSocketDeps): { closeAll(): void } {
  const wss = new WebSocketServer({
    noServer: true,
    // Frames between MAX_MESSAGE_BYTES and this cap are read, then refused as data (oversizeMessages.ts).
    maxPayload: deps.config.limits.maxFrameBytes,
    perMessageDeflate: false,
  });

  upgrades.on('/collab', (req, socket, head, url, info) => {
    if (url.pathname !== '/collab') return rejectUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => {
      deps.guard.watch('collab', ws);
      deps.guard.socket('collab', ws, accept)(ws, socket, url, info, 'collab', deps);
    });
  });

  upgrades.on('/yjs', (req, socket, head, url, info) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      deps.guard.watch('yjs', ws);
      deps.guard.socket('yjs', ws, () => {
        // A malformed escape (`%E0%A4%A`) is a refusal of this socket, like any other bad name.
        const documentName = safeDecodeURIComponent(url.pathname.slice('/yjs/'.length));
        if (documentName === undefined)
          return void ws.close(4400, 'the document name is not valid percent-encoding');
        const parsed = parseDocumentName(documentName);
        if (!parsed.ok) return void ws.close(4400, parsed.reason.slice(0, 120));
        const token = url.searchParams.get('token') ?? '';
        accept(ws, socket, url, info, 'yjs', deps, documentName, token);
      })();
    });
  });

  return {
    closeAll() {
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      wss.close();
    },
  };
}

function accept(
  ws: WebSocket,
  socket: Duplex,
  url: URL,
  info: UpgradeInfo,
  endpoint: SocketState['endpoint'],
  deps: CollabSocketDeps,
  bridgedDocument?: string,
  bridgedToken?: string,
): void {
  const collab = new CollabSocket(ws, socket, url, info, endpoint, deps, bridgedDocument);
  if (bridgedDocument) collab.client.handleMessage(collab.bridge!.authFrame(bridgedToken ?? ''));
}
