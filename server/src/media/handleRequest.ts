// Dispatches one validated request from a joined peer to its action. Staff-only methods are checked here,
// once, against the shared moderation rules, and have a rate of their own (each one reaches other people).
import { grantDecision, type MediaReplyData, type MediaRequest, moderationDecision } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { TokenBucket } from '../util/TokenBucket.ts';
import type { ClassRoom } from './ClassRoom.ts';
import type { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import { consume, pauseConsumer, resumeConsumer, setPreferredLayers } from './consumerActions.ts';
import { assertNever } from './mediaErrors.ts';
import {
  actorOf,
  muteAll,
  mutePeer,
  setGrant,
  setPublishPolicy,
  stopCamera,
  stopScreenShare,
} from './moderation.ts';
import type { Peer } from './Peer.ts';
import { closeProducer, pauseProducer, produce, resumeProducer } from './producerActions.ts';
import { removeFromRoom } from './removal.ts';
import { connectTransport, createTransport, restartIce } from './transportActions.ts';

export interface JoinedContext {
  room: ClassRoom;
  peer: Peer;
  registry: ClassRoomRegistry;
  /** Staff actions of this connection (moderation requests), on top of the connection's request rate. */
  staffActions: TokenBucket;
  /** The session owns the token's clock: it verifies the new token and reschedules the expiry. */
  refreshToken(token: string): Promise<MediaReplyData<'refreshToken'>>;
}

export async function handleJoinedRequest(ctx: JoinedContext, request: MediaRequest): Promise<unknown> {
  const { room, peer, registry } = ctx;
  const moderatedPeer = (targetId: string) => {
    const target = moderated(room, peer, targetId);
    takeStaffAction(ctx);
    return target;
  };
  const requireModerator = (actor: Peer) => {
    requireModeratorRole(actor);
    takeStaffAction(ctx);
  };
  switch (request.method) {
    case 'getRouterRtpCapabilities':
      return { rtpCapabilities: room.router.rtpCapabilities };
    case 'join':
      throw new AppError('conflict', 'this connection already joined; open another connection to join again');
    case 'ping':
      return { serverTimeMs: Date.now() };
    case 'createTransport':
      return createTransport(room, peer, request.data);
    case 'connectTransport':
      return connectTransport(peer, request.data);
    case 'restartIce':
      return restartIce(peer, request.data);
    case 'produce':
      return produce(room, peer, request.data);
    case 'pauseProducer':
      return pauseProducer(room, peer, request.data);
    case 'resumeProducer':
      return resumeProducer(room, peer, request.data);
    case 'closeProducer':
      return closeProducer(room, peer, request.data);
    case 'consume':
      return consume(room, peer, request.data);
    case 'resumeConsumer':
      return resumeConsumer(peer, request.data);
    case 'pauseConsumer':
      return pauseConsumer(peer, request.data);
    case 'setPreferredLayers':
      return setPreferredLayers(peer, request.data);
    case 'setPublishPolicy': {
      requireModerator(peer);
      const producersClosed = setPublishPolicy(room, request.data.policy, actorOf(peer));
      return { policy: room.policy, producersClosed };
    }
    case 'mutePeer': {
      const target = moderatedPeer(request.data.peerId);
      return { producersPaused: await mutePeer(room, target, actorOf(peer)) };
    }
    case 'muteAll':
      requireModerator(peer);
      return { producersPaused: await muteAll(room, actorOf(peer), request.data) };
    case 'stopCamera': {
      const target = moderatedPeer(request.data.peerId);
      return { producersClosed: stopCamera(room, target, actorOf(peer)) };
    }
    case 'stopScreenShare': {
      const target = moderatedPeer(request.data.peerId);
      return { producersClosed: stopScreenShare(room, target, actorOf(peer)) };
    }
    case 'setPublishGrant': {
      const target = moderatedPeer(request.data.peerId);
      const decision = grantDecision(peer.identity.role, target.identity.role);
      if (!decision.ok) throw new AppError('forbidden', decision.reason);
      const { grant } = request.data;
      return { grant, producersClosed: setGrant(room, target, grant, actorOf(peer)) };
    }
    case 'removePeer': {
      const target = moderatedPeer(request.data.peerId);
      if (target === peer) throw new AppError('bad_request', 'to remove yourself, send leave');
      await removeFromRoom(registry, room, target, actorOf(peer), 'call');
      return {};
    }
    case 'refreshToken':
      return ctx.refreshToken(request.data.token);
    case 'leave':
      await registry.leave(room, peer, 'left');
      return {};
    default:
      return assertNever(request);
  }
}

/** Checks the actor first, so non-staff learn nothing about which peer ids exist. */
function moderated(room: ClassRoom, actor: Peer, targetId: string): Peer {
  requireModeratorRole(actor);
  const target = room.peer(targetId);
  requireModeratorRole(actor, target);
  return target;
}

function takeStaffAction(ctx: JoinedContext): void {
  if (!ctx.staffActions.take())
    throw new AppError('rate_limited', 'too many staff actions; slow down and try again in a moment');
}

function requireModeratorRole(actor: Peer, target?: Peer): void {
  const decision = moderationDecision(actor.identity.role, target?.identity.role);
  if (!decision.ok) throw new AppError('forbidden', decision.reason);
}
