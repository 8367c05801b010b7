// One collaboration socket's rules: what its frames go through before Hocuspocus sees them (limits, refusals,
// holds for reopen and handshake, the direct update path, the presence path), and what it is sent (framed,
// coalesced, held until durable).
import type { Duplex } from 'node:stream';
import type { Hocuspocus } from '@hocuspocus/server';
import type { RawData, WebSocket } from 'ws';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { UpgradeInfo } from '../http/upgrades.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ConnectionGuard } from '../net/connectionGuard.ts';
import { TokenBucket } from '../util/TokenBucket.ts';
import { checkAddress } from './addressGuard.ts';
import type { CollabContext, SocketState } from './context.ts';
import { applyDirect, matchDirect } from './directUpdates.ts';
import { type Durability, type HeldSocket, holdUntilDurable } from './durableRelay.ts';
import { type FramedSender, framedSender, type SentCounter, sendThrough } from './frameCache.ts';
import { checkFrame, MALFORMED_FRAME } from './frameGuard.ts';
import { HandshakeUpdates } from './handshakeUpdates.ts';
import { flattenSocketId, markMessageReceived } from './libraryInternals.ts';
import { NO_HEADERS } from './noHeaders.ts';
import { oversizeFrameError, standInForOversize } from './oversizeMessages.ts';
import { PreAuthUpdates } from './preAuthUpdates.ts';
import { type Presence, PresenceRoutes } from './presence/Presence.ts';
import { type FrameHandler, ReopenOrder } from './reopenOrder.ts';
import { SocketRoutes } from './socketRoutes.ts';
import { noteSyncRequest } from './storedStateAnswers.ts';
import { closeRefused, droppedAfterRefusal } from './updateRefusal.ts';
import { YjsBridgeSocket } from './YjsBridgeSocket.ts';

type Traffic = ReturnType<Metrics['traffic']>;
type ClientConnection = ReturnType<Hocuspocus['handleConnection']>;

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

/**
 * One collaboration socket: the rules its frames go through before Hocuspocus sees them. A class rather than
 * closures over `accept`'s scope: a server holds one per open socket, and methods cost nothing per socket
 * where each closure costs its own object (docs/benchmarks.md, idle memory).
 */
export class CollabSocket implements HeldSocket, FrameHandler, SentCounter {
  readonly state: SocketState;
  readonly client: ClientConnection;
  readonly bridge: YjsBridgeSocket | undefined;
  readonly #traffic: Traffic;
  readonly #limiter: TokenBucket;
  readonly #sender: FramedSender;
  readonly #routes: SocketRoutes;
  readonly #presence: PresenceRoutes;
  readonly #preAuth: PreAuthUpdates | undefined;
  readonly #handshake: HandshakeUpdates | undefined;

  constructor(
    readonly ws: WebSocket,
    socket: Duplex,
    url: URL,
    readonly info: UpgradeInfo,
    readonly endpoint: SocketState['endpoint'],
    readonly deps: CollabSocketDeps,
    bridgedDocument: string | undefined,
  ) {
    const { metrics, config } = deps;
    this.#traffic = metrics.traffic(endpoint);
    metrics.connections.inc({ endpoint });
    // Bridged y-websocket clients have one document per socket and never close it alone.
    const reopen = bridgedDocument ? undefined : new ReopenOrder(this);
    // Bridged frames are rewritten into Hocuspocus's protocol first: they take Hocuspocus's update path.
    this.#routes = new SocketRoutes(!bridgedDocument, reopen);
    this.#presence = new PresenceRoutes(this.#routes);
    this.state = {
      ws,
      endpoint,
      authenticatedDocs: 0,
      routes: this.#routes,
      presence: this.#presence,
      ticket: info.ticket,
      reopen,
    };
    const { state } = this;
    // Bridged sockets' Auth is made here, not received (bridge.authFrame).
    this.#preAuth = bridgedDocument ? undefined : new PreAuthUpdates();
    this.#handshake = this.#preAuth && new HandshakeUpdates(this, this.#preAuth);
    this.#limiter = new TokenBucket(config.limits.messagesPerSec, config.limits.burst);
    this.bridge = bridgedDocument ? new YjsBridgeSocket(ws, bridgedDocument) : undefined;
    // What Hocuspocus sends (in its own protocol, before the bridge rewrites it) waits for durability, then is
    // framed: on a bridged socket the bridge sends its rewritten messages through `ws.send`, so that is framed;
    // on the others the relay hands them to the framed sender itself.
    this.#sender = framedSender(ws, socket, this);
    if (this.bridge) {
      sendThrough(ws, this.#sender);
      holdUntilDurable(this.bridge, deps.durability, this);
    } else holdUntilDurable(ws, deps.durability, this, this.#sender);
    // The request Hocuspocus sees carries no query string (tokens must never reach its hooks' logs), and only
    // the two fields it reads. Hocuspocus parses `url` into parameters for every message it handles; a bare
    // path makes that a no-op, where a fetch Request would serialize and re-parse a whole URL each time. Its
    // headers only go on to hooks, which do not read them (noHeaders.ts).
    const request = { url: url.pathname, headers: NO_HEADERS } as Pick<Request, 'url' | 'headers'>;
    this.client = deps.hocuspocus.handleConnection(this.bridge ?? ws, request as Request, {
      socket: state,
    } satisfies CollabContext);
    flattenSocketId(this.client);

    // A socket that has not authenticated a document by then is closed (4401): sockets cost nothing to hold.
    // The auth extension clears the timer when the first document is authenticated.
    state.authDeadline = setTimeout(() => this.#authTimedOut(), config.network.authTimeoutMs);

    ws.on('message', (raw: RawData, isBinary: boolean) => this.#onMessage(raw, isBinary));
    ws.on('close', (code: number, reason: Buffer) => this.#onClose(code, reason));
    // Errors (ws reports frames over maxFrameBytes as one, and closes with 1009 itself) are logged by the
    // listener the connection guard put on before this socket was accepted (sockets.ts).
  }

  // HeldSocket (durableRelay.ts)
  isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  onHeld(): void {
    this.deps.metrics.counts.heldUntilDurable++;
  }

  overflow(): void {
    this.ws.close(1013, 'storage is slow to save; reconnect in a moment');
  }

  // SentCounter (frameCache.ts)
  sent(bytes: number): void {
    this.#traffic.messagesOut++;
    this.#traffic.bytesOut += bytes;
  }

  #fail(error: AppError): void {
    this.deps.metrics.errors.inc({ code: error.code, where: this.endpoint });
    this.ws.close(error.closeCode, error.closeReason);
  }

  #authTimedOut(): void {
    const { state, ws, deps } = this;
    state.authDeadline = undefined;
    if (state.authenticatedDocs > 0 || ws.readyState !== ws.OPEN) return;
    deps.metrics.refusals.inc({ reason: 'auth_timeout' });
    this.#fail(
      new AppError('unauthorized', `authenticate within ${deps.config.network.authTimeoutMs / 1000} s`),
    );
  }

  /** Held frames are handed back in here, later: the frame rules run behind the connection guard. */
  handOn(frame: Uint8Array): void {
    try {
      this.#handleFrame(frame, frame.byteLength);
    } catch (error) {
      this.deps.guard.fail(this.endpoint, this.ws, error);
    }
  }

  #onMessage(raw: RawData, isBinary: boolean) {
    const { ws, info } = this;
    if (ws.readyState !== ws.OPEN) return;
    try {
      const data = toUint8Array(raw);
      this.#traffic.messagesIn++;
      this.#traffic.bytesIn += data.byteLength;
      if (!isBinary)
        return this.#fail(new AppError('bad_request', 'text frames are not part of the protocol'));
      if (!this.#limiter.take())
        return this.#fail(new AppError('rate_limited', 'too many messages; slow down and reconnect'));
      if (!info.ticket.takeMessage())
        return this.#fail(new AppError('rate_limited', 'too many messages from your connections; slow down'));
      this.#handleFrame(this.bridge ? this.bridge.toHocuspocusFrame(data) : data, data.byteLength);
    } catch (error) {
      this.deps.guard.fail(this.endpoint, ws, error);
    }
  }

  /** A frame past the socket's limits: refused, held, or routed (also a held frame handed on later). */
  #handleFrame(frame: Uint8Array, bytes: number) {
    const { ws, state, deps, client } = this;
    if (ws.readyState !== ws.OPEN) return;
    if (state.refusedAddresses?.size && droppedAfterRefusal(frame, state.refusedAddresses)) return;
    const route = this.#routes.match(frame);
    const order = state.reopen?.accept(frame, route) ?? 'pass';
    if (order === 'held') return;
    if (order instanceof AppError) return this.#fail(order);
    if (bytes > deps.config.limits.maxMessageBytes) return this.#handleOversize(frame, bytes);
    if (this.#handshake?.accept(frame, route) === 'hold') return;
    const direct = matchDirect(frame, route);
    if (direct) {
      markMessageReceived(client);
      this.#sender.receivedUpdate(frame);
      const outcome = applyDirect(direct);
      if (outcome.kind === 'applied') deps.metrics.counts.updatesDirect++;
      else if (outcome.kind === 'malformed') this.#fail(MALFORMED_FRAME);
      else closeRefused(direct.route.connection, outcome.refusal, deps);
      return;
    }
    const awareness = this.#presence.match(frame, route);
    if (awareness) {
      markMessageReceived(client);
      // Held: its document is still being set up; the frame is applied once it is.
      if (awareness === 'held') return;
      const refusal =
        awareness instanceof AppError
          ? awareness
          : deps.presence.handleUpdate(awareness.connection, awareness.update);
      if (refusal) {
        deps.metrics.counts.presence.refused++;
        this.#fail(refusal);
      }
      return;
    }
    const kind = checkFrame(frame);
    if (kind instanceof AppError) return this.#fail(kind);
    const badAddress = checkAddress(frame);
    if (badAddress) return this.#fail(badAddress);
    // Bridged sockets get y-websocket frames, never byte-equal to a Hocuspocus frame: nothing to note there.
    if (this.#preAuth?.drop(frame)) {
      deps.metrics.counts.updatesBeforeAuth++;
      return;
    }
    if (kind === 'update' && !this.bridge) this.#sender.receivedUpdate(frame);
    if (!this.bridge) noteSyncRequest(state, frame);
    client.handleMessage(frame);
  }

  // An update over MAX_MESSAGE_BYTES is refused as data (oversizeMessages.ts). A socket that has authenticated
  // nothing has no document to refuse it for, and other messages that large are no update: 1009.
  #handleOversize(frame: Uint8Array, bytes: number) {
    const { maxMessageBytes } = this.deps.config.limits;
    const standIn =
      this.state.authenticatedDocs > 0
        ? standInForOversize(frame, maxMessageBytes)
        : oversizeFrameError(maxMessageBytes);
    if (standIn instanceof AppError) return this.#fail(standIn);
    const badAddress = checkAddress(standIn);
    if (badAddress) return this.#fail(badAddress);
    this.deps.log.debug(
      { endpoint: this.endpoint, bytes },
      'oversize update: a stand-in goes through to be refused',
    );
    this.client.handleMessage(standIn);
  }

  #onClose(code: number, reason: Buffer): void {
    try {
      clearTimeout(this.state.authDeadline);
      this.state.authDeadline = undefined;
      this.#handshake?.close();
      this.deps.metrics.connections.dec({ endpoint: this.endpoint });
      this.client.handleClose({ code, reason: reason.toString() });
    } catch (error) {
      this.deps.guard.fail(this.endpoint, this.ws, error);
    }
  }
}

function toUint8Array(raw: RawData): Uint8Array {
  if (Array.isArray(raw)) return new Uint8Array(Buffer.concat(raw));
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}
