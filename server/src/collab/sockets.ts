// The two collaboration WebSocket endpoints: /collab (Hocuspocus protocol, many documents per socket) and
// /yjs/<document> (stock y-websocket clients, bridged into the same Hocuspocus documents).
import type { Duplex } from 'node:stream';
import type { Hocuspocus } from '@hocuspocus/server';
import { parseDocumentName } from '@tandem/shared';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { rejectUpgrade, type UpgradeInfo, type UpgradeRouter } from '../http/upgrades.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ConnectionGuard } from '../net/connectionGuard.ts';
import { safeDecodeURIComponent } from '../util/safeDecode.ts';
import { TokenBucket } from '../util/TokenBucket.ts';
import { checkAddress } from './addressGuard.ts';
import type { CollabContext, SocketState } from './context.ts';
import { applyDirect, DirectUpdates } from './directUpdates.ts';
import { type Durability, holdUntilDurable } from './durableRelay.ts';
import { sendFramed } from './frameCache.ts';
import { checkFrame, MALFORMED_FRAME } from './frameGuard.ts';
import { HandshakeUpdates } from './handshakeUpdates.ts';
import { markMessageReceived } from './libraryInternals.ts';
import { NO_HEADERS } from './noHeaders.ts';
import { oversizeFrameError, standInForOversize } from './oversizeMessages.ts';
import { PreAuthUpdates } from './preAuthUpdates.ts';
import { type Presence, PresenceRoutes } from './presence/Presence.ts';
import { ReopenOrder } from './reopenOrder.ts';
import { noteSyncRequest } from './storedStateAnswers.ts';
import { closeRefused, droppedAfterRefusal } from './updateRefusal.ts';
import { YjsBridgeSocket } from './YjsBridgeSocket.ts';

export interface CollabSocketDeps {
  config: Readonly<Config>;
  hocuspocus: Hocuspocus<CollabContext>;
  metrics: Metrics;
  log: Logger;
  presence: Presence;
  /** When the updates applied so far are durable: acknowledgements and relays wait for it. */
  durability: Durability;
  guard: ConnectionGuard;
}

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
  const { metrics, config } = deps;
  const traffic = metrics.traffic(endpoint);
  metrics.connections.inc({ endpoint });
  const direct = bridgedDocument ? undefined : new DirectUpdates();
  const presence = new PresenceRoutes();
  const state: SocketState = { ws, endpoint, authenticatedDocs: 0, direct, presence, ticket: info.ticket };
  // Bridged y-websocket clients have one document per socket and never close it alone.
  if (!bridgedDocument) state.reopen = new ReopenOrder((frame) => guard(handleFrame)(frame));
  // Bridged sockets' Auth is made here, not received (bridge.authFrame below).
  const preAuth = bridgedDocument ? undefined : new PreAuthUpdates();
  const handshake = preAuth && new HandshakeUpdates((frame) => guard(handleFrame)(frame), preAuth);
  const limiter = new TokenBucket(config.limits.messagesPerSec, config.limits.burst);

  const sender = sendFramed(ws, socket, (bytes) => {
    traffic.messagesOut++;
    traffic.bytesOut += bytes;
  });
  const bridge = bridgedDocument ? new YjsBridgeSocket(ws, bridgedDocument) : undefined;
  // What Hocuspocus sends (in its own protocol, before the bridge rewrites it) waits for durability.
  holdUntilDurable(bridge ?? ws, deps.durability, {
    isOpen: () => ws.readyState === ws.OPEN,
    onHeld: () => metrics.counts.heldUntilDurable++,
    overflow: () => ws.close(1013, 'storage is slow to save; reconnect in a moment'),
  });
  // The request Hocuspocus sees carries no query string (tokens must never reach its hooks' logs), and only the
  // two fields it reads. Hocuspocus parses `url` into parameters for every message it handles; a bare path
  // makes that a no-op, where a fetch Request would serialize and re-parse a whole URL each time. Its headers
  // only go on to hooks, which do not read them (noHeaders.ts).
  const request = { url: url.pathname, headers: NO_HEADERS } as Pick<Request, 'url' | 'headers'>;
  const client = deps.hocuspocus.handleConnection(bridge ?? ws, request as Request, {
    socket: state,
  } satisfies CollabContext);

  const fail = (error: AppError) => {
    metrics.errors.inc({ code: error.code, where: endpoint });
    ws.close(error.closeCode, error.closeReason);
  };

  // A socket that has not authenticated a document by then is closed (4401): sockets cost nothing to hold.
  const authDeadline = setTimeout(() => {
    if (state.authenticatedDocs > 0 || ws.readyState !== ws.OPEN) return;
    metrics.refusals.inc({ reason: 'auth_timeout' });
    fail(new AppError('unauthorized', `authenticate within ${config.network.authTimeoutMs / 1000} s`));
  }, config.network.authTimeoutMs);

  // An update over MAX_MESSAGE_BYTES is refused as data (oversizeMessages.ts). A socket that has authenticated
  // nothing has no document to refuse it for, and other messages that large are no update: 1009.
  const handleOversize = (frame: Uint8Array, bytes: number) => {
    const { maxMessageBytes } = config.limits;
    const standIn =
      state.authenticatedDocs > 0
        ? standInForOversize(frame, maxMessageBytes)
        : oversizeFrameError(maxMessageBytes);
    if (standIn instanceof AppError) return fail(standIn);
    const badAddress = checkAddress(standIn);
    if (badAddress) return fail(badAddress);
    deps.log.debug({ endpoint, bytes }, 'oversize update: a stand-in goes through to be refused');
    client.handleMessage(standIn);
  };
  const guard = <A extends unknown[]>(fn: (...args: A) => unknown) => deps.guard.socket(endpoint, ws, fn);
  const handleMessage = (raw: RawData, isBinary: boolean) => {
    if (ws.readyState !== ws.OPEN) return;
    const data = toUint8Array(raw);
    traffic.messagesIn++;
    traffic.bytesIn += data.byteLength;
    if (!isBinary) return fail(new AppError('bad_request', 'text frames are not part of the protocol'));
    if (!limiter.take())
      return fail(new AppError('rate_limited', 'too many messages; slow down and reconnect'));
    if (!info.ticket.takeMessage())
      return fail(new AppError('rate_limited', 'too many messages from your connections; slow down'));
    handleFrame(bridge ? bridge.toHocuspocusFrame(data) : data, data.byteLength);
  };
  /** A frame past the socket's limits: refused, held, or routed (also a held frame handed on later). */
  const handleFrame = (frame: Uint8Array, bytes = frame.byteLength) => {
    if (ws.readyState !== ws.OPEN) return;
    if (state.refusedAddresses?.size && droppedAfterRefusal(frame, state.refusedAddresses)) return;
    const order = state.reopen?.accept(frame) ?? 'pass';
    if (order === 'held') return;
    if (order instanceof AppError) return fail(order);
    if (bytes > config.limits.maxMessageBytes) return handleOversize(frame, bytes);
    if (handshake?.accept(frame) === 'hold') return;
    const route = direct?.match(frame);
    if (route) {
      markMessageReceived(client);
      sender.receivedUpdate(frame);
      const outcome = applyDirect(route);
      if (outcome.kind === 'applied') metrics.counts.updatesDirect++;
      else if (outcome.kind === 'malformed') fail(MALFORMED_FRAME);
      else closeRefused(route.route.connection, outcome.refusal, deps);
      return;
    }
    const awareness = presence.match(frame);
    if (awareness) {
      markMessageReceived(client);
      // Held: its document is still being set up; the frame is applied once it is.
      if (awareness === 'held') return;
      const refusal =
        awareness instanceof AppError
          ? awareness
          : deps.presence.handleUpdate(awareness.connection, awareness.update);
      if (refusal) {
        metrics.counts.presence.refused++;
        fail(refusal);
      }
      return;
    }
    const kind = checkFrame(frame);
    if (kind instanceof AppError) return fail(kind);
    const badAddress = checkAddress(frame);
    if (badAddress) return fail(badAddress);
    // Bridged sockets get y-websocket frames, never byte-equal to a Hocuspocus frame: nothing to note there.
    if (preAuth?.drop(frame)) {
      metrics.counts.updatesBeforeAuth++;
      return;
    }
    if (kind === 'update' && !bridge) sender.receivedUpdate(frame);
    if (!bridge) noteSyncRequest(state, frame);
    client.handleMessage(frame);
  };
  const handleClose = (code: number, reason: Buffer) => {
    clearTimeout(authDeadline);
    handshake?.close();
    metrics.connections.dec({ endpoint });
    client.handleClose({ code, reason: reason.toString() });
  };
  ws.on('message', guard(handleMessage));
  ws.on('close', guard(handleClose));
  ws.on('error', (error) => {
    // ws reports frames over the cap (maxFrameBytes) here and closes with 1009 itself.
    deps.log.debug({ err: error, endpoint }, 'socket error');
  });

  if (bridge) client.handleMessage(bridge.authFrame(bridgedToken ?? ''));
}

function toUint8Array(raw: RawData): Uint8Array {
  if (Array.isArray(raw)) return new Uint8Array(Buffer.concat(raw));
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}
