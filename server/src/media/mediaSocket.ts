// The `/media` WebSocket endpoint: upgrades and hands each socket to a SignalingSession. When media is
// unavailable the endpoint still answers, closing with 4503 and the reason, so clients can say why.
import { CLOSE_CODES } from '@tandem/shared';
import { type WebSocket, WebSocketServer } from 'ws';
import type { CredentialGuard } from '../auth/CredentialGuard.ts';
import { truncateUtf8 } from '../errors.ts';
import { rejectUpgrade, type UpgradeInfo, type UpgradeRouter } from '../http/upgrades.ts';
import type { ConnectionGuard } from '../net/connectionGuard.ts';
import { type SessionDeps, SignalingSession } from './SignalingSession.ts';

export const MEDIA_PATH = '/media';
/** Chrome's rtpCapabilities are ~10 KiB as JSON; nothing legitimate comes near this. */
export const MAX_SIGNAL_MESSAGE_BYTES = 64 * 1024;

export interface MediaEndpoint {
  closeAll(code: number, reason: string): void;
}

export interface MediaSocketDeps extends SessionDeps {
  /** Back-off on bad tokens per client address. */
  credentials: CredentialGuard;
}

export function installMediaSocket(upgrades: UpgradeRouter, deps: MediaSocketDeps): MediaEndpoint {
  return install(upgrades, deps.guard, (ws, info) => {
    const verifier = deps.credentials.forAddress(info.ticket.address);
    new SignalingSession(ws, { ...deps, verifier }, info.ticket).start();
  });
}

export function installUnavailableMediaSocket(
  upgrades: UpgradeRouter,
  guard: ConnectionGuard | undefined,
  reason: string,
): MediaEndpoint {
  return install(upgrades, guard, (ws) =>
    ws.close(CLOSE_CODES.unavailable, truncateUtf8(`media unavailable: ${reason}`, 123)),
  );
}

function install(
  upgrades: UpgradeRouter,
  guard: ConnectionGuard | undefined,
  accept: (ws: WebSocket, info: UpgradeInfo) => void,
): MediaEndpoint {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_SIGNAL_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  upgrades.on(MEDIA_PATH, (req, socket, head, url, info) => {
    if (url.pathname !== MEDIA_PATH) return rejectUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!guard) return accept(ws, info);
      guard.watch('media', ws);
      guard.socket('media', ws, accept)(ws, info);
    });
  });
  return {
    closeAll(code, reason) {
      for (const ws of wss.clients) ws.close(code, reason);
      wss.close();
    },
  };
}
