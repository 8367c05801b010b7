// One media signaling WebSocket: rate-limits and validates requests, runs them one at a time, replies
// with the request's id, forwards notifications, pings to find dead peers, and leaves the class when the
// socket goes, so everything the peer owned is closed. A token that expires without a refresh closes it
// (4401).
import {
  CLOSE_CODES,
  type MediaEventName,
  type MediaNotificationData,
  type MediaReplyData,
  type MediaRequest,
  type MediaRequestData,
  type MediaServerMessage,
  type PeerLeftReason,
  type RtpCapabilities,
} from '@tandem/shared';
import { type RawData, WebSocket } from 'ws';
import { verifyTokenRefresh } from '../auth/tokenRefresh.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Ticket } from '../net/Admission.ts';
import type { ConnectionGuard } from '../net/connectionGuard.ts';
import { TokenBucket } from '../util/TokenBucket.ts';
import type { ClassRoom } from './ClassRoom.ts';
import type { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import { handleJoinedRequest } from './handleRequest.ts';
import { checkProtocol, joinClass, type RoomAdmission } from './joinClass.ts';
import { assertNever, fromMediasoupError } from './mediaErrors.ts';
import type { MediaMetrics } from './mediaMetrics.ts';
import type { Peer, PeerLink } from './Peer.ts';
import { parseRequest, peekRequestId } from './parseRequest.ts';
import { SignalRateLimiter, type SignalRateLimits } from './SignalRateLimiter.ts';
import { TokenExpiry } from './TokenExpiry.ts';

export interface SessionDeps {
  registry: ClassRoomRegistry;
  verifier: TokenVerifier;
  log: Logger;
  metrics: Metrics;
  mediaMetrics: MediaMetrics;
  routerRtpCapabilities: RtpCapabilities;
  heartbeatMs: number;
  joinTimeoutMs: number;
  limits?: SignalRateLimits;
  /** Who may join which room (the classroom's rules); without it, any room of the token's class. */
  admission?: RoomAdmission;
  /** Closes only this socket when a handler throws. */
  guard?: ConnectionGuard;
}

type SessionState =
  | { phase: 'open' }
  | { phase: 'joining' }
  | { phase: 'joined'; room: ClassRoom; peer: Peer }
  | { phase: 'closed' };

const LABELS = { endpoint: 'media' };
const MAX_QUEUED_REQUESTS = 1000;
/** Audio levels are skipped for a client this far behind; replies and other notifications never are. */
const DROPPABLE_ABOVE_BUFFERED_BYTES = 1 << 20;
const MISSED_PONGS_BEFORE_DROP = 2;
/** Staff actions (mute, stop, grant, remove, policy): far more than a person clicking, far less than a script. */
const STAFF_ACTIONS_PER_SEC = 2;
const STAFF_ACTION_BURST = 20;

export class SignalingSession {
  #state: SessionState = { phase: 'open' };
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #missedPongs = 0;
  #heldNotifications: MediaServerMessage[] | undefined;
  #leaveReason: PeerLeftReason = 'disconnected';
  #heartbeat: NodeJS.Timeout | undefined;
  #joinTimer: NodeJS.Timeout | undefined;
  #tokenExpiry: TokenExpiry | undefined;
  #log: Logger;
  readonly #limiter: SignalRateLimiter;
  readonly #staffActions = new TokenBucket(STAFF_ACTIONS_PER_SEC, STAFF_ACTION_BURST);

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
    /** The socket's admission: per-user cap at join, message budgets shared with the user's other sockets. */
    private readonly ticket?: Ticket,
  ) {
    this.#log = deps.log;
    this.#limiter = new SignalRateLimiter(deps.limits);
  }

  start(): void {
    const { ws, deps } = this;
    deps.metrics.connections.inc(LABELS);
    const guard = <A extends unknown[]>(fn: (...args: A) => unknown) =>
      deps.guard ? deps.guard.socket('media', ws, fn) : fn;
    ws.on(
      'message',
      guard((data: RawData, isBinary: boolean) => this.#handleMessage(data, isBinary)),
    );
    ws.on('pong', () => {
      this.#missedPongs = 0;
    });
    ws.on(
      'close',
      guard(() => this.#handleClose()),
    );
    ws.on('error', (error) => this.#log.debug({ err: error }, 'media socket error'));
    this.#heartbeat = setInterval(() => this.#beat(), deps.heartbeatMs);
    this.#joinTimer = setTimeout(() => {
      if (this.#state.phase === 'open') {
        this.#close(
          CLOSE_CODES.unauthorized,
          `send join with your token within ${deps.joinTimeoutMs / 1000} s`,
        );
      }
    }, deps.joinTimeoutMs);
  }

  #beat(): void {
    if (this.#missedPongs >= MISSED_PONGS_BEFORE_DROP) {
      this.#log.info('media peer stopped answering heartbeats; dropping it');
      this.#leaveReason = 'timeout';
      this.ws.terminate();
      return;
    }
    this.#missedPongs++;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  #handleMessage(frame: RawData, isBinary: boolean): void {
    const { metrics } = this.deps;
    const bytes = Buffer.isBuffer(frame)
      ? frame
      : Array.isArray(frame)
        ? Buffer.concat(frame)
        : Buffer.from(frame);
    const traffic = metrics.traffic('media');
    traffic.messagesIn++;
    traffic.bytesIn += bytes.byteLength;
    this.#missedPongs = 0;
    if (this.#state.phase === 'closed') return;
    if (this.ticket && !this.ticket.takeMessage()) {
      this.#close(
        CLOSE_CODES.rateLimited,
        'too many messages from your connections; slow down and reconnect',
      );
      return;
    }
    const verdict = this.#limiter.check();
    if (verdict === 'disconnect') {
      this.#close(CLOSE_CODES.rateLimited, 'too many media requests after being told to slow down');
      return;
    }
    if (verdict === 'limited') {
      const error = new AppError('rate_limited', `slow down: ${this.#limiter.describe()}`);
      this.#replyError(peekRequestId(bytes), error);
      return;
    }
    const parsed = parseRequest(bytes, isBinary);
    if (!parsed.ok) {
      this.#replyError(parsed.id, parsed.error);
      return;
    }
    if (this.#queued >= MAX_QUEUED_REQUESTS) {
      this.#replyError(
        parsed.request.id,
        new AppError('rate_limited', 'too many requests waiting; slow down'),
      );
      return;
    }
    this.#queued++;
    this.#queue = this.#queue
      .then(() => this.#run(parsed.request))
      // #run answers every refusal itself; anything escaping it would otherwise stall this queue for good.
      .catch((error: unknown) => this.#failInternally(error))
      .finally(() => {
        this.#queued--;
      });
  }

  async #run(request: MediaRequest): Promise<void> {
    if (this.#state.phase === 'closed') return;
    const { mediaMetrics } = this.deps;
    try {
      const data = await this.#dispatch(request);
      this.#send({ type: 'reply', id: request.id, ok: true, data });
      this.#releaseNotifications();
      mediaMetrics.requests.inc({ method: request.method, outcome: 'ok' });
      if (request.method === 'leave') this.#close(CLOSE_CODES.normal, 'left the class media', 'left');
    } catch (thrown) {
      const error = fromMediasoupError(thrown);
      if (error.code === 'internal')
        this.#log.error({ err: thrown, method: request.method }, 'media request failed');
      else
        this.#log.debug(
          { method: request.method, code: error.code, reason: error.message },
          'media request refused',
        );
      mediaMetrics.requests.inc({ method: request.method, outcome: error.code });
      this.#replyError(request.id, error);
      this.#heldNotifications = undefined;
      if (request.method === 'join' && this.#state.phase !== 'joined') {
        mediaMetrics.peersRejected.inc({ code: error.code });
        this.#close(error.closeCode, error.closeReason);
      }
    }
  }

  #dispatch(request: MediaRequest): Promise<unknown> | unknown {
    const state = this.#state;
    switch (state.phase) {
      case 'open':
        return this.#handleBeforeJoin(request);
      case 'joining':
      case 'closed':
        throw new AppError('conflict', 'this connection is not ready for requests');
      case 'joined':
        return handleJoinedRequest(
          {
            room: state.room,
            peer: state.peer,
            registry: this.deps.registry,
            staffActions: this.#staffActions,
            refreshToken: (token) => this.#refreshToken(state.peer, token),
          },
          request,
        );
      default:
        return assertNever(state);
    }
  }

  #handleBeforeJoin(request: MediaRequest): Promise<unknown> | unknown {
    switch (request.method) {
      case 'getRouterRtpCapabilities':
        return { rtpCapabilities: this.deps.routerRtpCapabilities };
      case 'ping':
        return { serverTimeMs: Date.now() };
      case 'join':
        return this.#join(request.data);
      default:
        throw new AppError(
          'unauthorized',
          `join first: ${request.method} needs a joined connection (send join)`,
        );
    }
  }

  async #join(data: MediaRequestData<'join'>): Promise<MediaReplyData<'join'>> {
    const { deps } = this;
    checkProtocol(data);
    this.#state = { phase: 'joining' };
    // Notifications about the class wait until the client has the join reply they follow from.
    this.#heldNotifications = [];
    const { room, peer, reply, tokenExp } = await joinClass(deps, data, this.#link(), deps.heartbeatMs);
    if (this.#isClosed()) {
      await deps.registry.leave(room, peer, 'disconnected');
      throw new AppError('conflict', 'the connection closed while joining');
    }
    try {
      this.ticket?.claimUser(`${peer.identity.classId}:${peer.identity.id}`);
    } catch (error) {
      await deps.registry.leave(room, peer, 'disconnected');
      throw error;
    }
    this.#state = { phase: 'joined', room, peer };
    clearTimeout(this.#joinTimer);
    this.#log = deps.log.child({
      classId: room.classId,
      room: room.name,
      peerId: peer.id,
      userId: peer.identity.id,
    });
    this.#log.info({ role: peer.identity.role }, 'peer joined class media');
    this.#startTokenClock(tokenExp);
    return reply;
  }

  /** `tokenExpiring` ~30 s before the token expires (after the join reply); at expiry, close with 4401. */
  #startTokenClock(exp: number): void {
    this.#tokenExpiry = new TokenExpiry({
      onExpiring: (expiresAtMs) => this.#notify('tokenExpiring', { expiresAtMs }),
      onExpired: () => {
        this.deps.metrics.authFailures.inc({ reason: 'media_expired' });
        this.#log.info('media token expired without a refresh; closing the connection');
        this.#close(CLOSE_CODES.unauthorized, 'token expired');
      },
    });
    this.#tokenExpiry.set(exp);
  }

  async #refreshToken(peer: Peer, token: string): Promise<MediaReplyData<'refreshToken'>> {
    const claims = await verifyTokenRefresh(this.deps.verifier, peer.identity, token).catch((error) => {
      this.deps.metrics.authFailures.inc({ reason: 'media_refresh' });
      throw error;
    });
    this.#tokenExpiry?.set(claims.exp);
    return { expiresAtMs: claims.exp * 1000 };
  }

  #isClosed(): boolean {
    return this.#state.phase === 'closed';
  }

  #link(): PeerLink {
    return {
      notify: (event, data, opts) => this.#notify(event, data, opts?.droppable),
      disconnect: (code, reason) => this.#close(code, reason),
    };
  }

  #notify<E extends MediaEventName>(event: E, data: MediaNotificationData<E>, droppable = false): void {
    const message = { type: 'notification', event, data } as MediaServerMessage;
    if (this.#heldNotifications) {
      if (!droppable) this.#heldNotifications.push(message);
      return;
    }
    this.#send(message, droppable);
  }

  #releaseNotifications(): void {
    const held = this.#heldNotifications;
    this.#heldNotifications = undefined;
    for (const message of held ?? []) this.#send(message);
  }

  #replyError(id: number | null, error: AppError): void {
    this.#send({ type: 'reply', id, ok: false, error: { code: error.code, message: error.message } });
  }

  #send(message: MediaServerMessage, droppable = false): void {
    const { ws } = this;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (droppable && ws.bufferedAmount > DROPPABLE_ABOVE_BUFFERED_BYTES) return;
    const text = JSON.stringify(message);
    ws.send(text);
    const traffic = this.deps.metrics.traffic('media');
    traffic.messagesOut++;
    traffic.bytesOut += Buffer.byteLength(text);
  }

  /** Leaves the class right away (not when the close handshake ends) and closes the socket. */
  #close(code: number, reason: string, leaveReason: PeerLeftReason = 'disconnected'): void {
    const state = this.#state;
    if (state.phase === 'closed') return;
    this.#state = { phase: 'closed' };
    this.#stopTimers();
    if (state.phase === 'joined') this.#leave(state.room, state.peer, leaveReason);
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
  }

  /** The last line of defence for a request that threw past its handler: only this socket closes. */
  #failInternally(error: unknown): void {
    if (this.deps.guard) this.deps.guard.record('media', error);
    else this.#log.error({ err: error }, 'media request failed unexpectedly');
    this.#close(CLOSE_CODES.internal, 'internal server error; the incident was logged');
  }

  #handleClose(): void {
    this.deps.metrics.connections.dec(LABELS);
    const state = this.#state;
    this.#state = { phase: 'closed' };
    this.#stopTimers();
    if (state.phase === 'joined') this.#leave(state.room, state.peer, this.#leaveReason);
  }

  #leave(room: ClassRoom, peer: Peer, reason: PeerLeftReason): void {
    this.deps.registry.leave(room, peer, reason).catch((error: unknown) => {
      this.#log.error({ err: error }, 'leaving the class media failed');
    });
  }

  #stopTimers(): void {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#joinTimer);
    this.#tokenExpiry?.stop();
  }
}
