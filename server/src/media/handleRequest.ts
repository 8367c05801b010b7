// Dispatches one validated request from a joined peer to its action. Staff-only methods are checked here,
// once, against the shared moderation rules.
import { CLOSE_CODES, type MediaReplyData, type MediaRequest, moderationDecision } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { ClassRoom } from './ClassRoom.ts';
import type { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import { consume, pauseConsumer, resumeConsumer, setPreferredLayers } from './consumerActions.ts';
import { assertNever } from './mediaErrors.ts';
import { actorOf, muteAll, mutePeer, setPublishPolicy, stopScreenShare } from './moderation.ts';
import type { Peer } from './Peer.ts';
import { closeProducer, pauseProducer, produce, resumeProducer } from './producerActions.ts';
import { connectTransport, createTransport, restartIce } from './transportActions.ts';

export interface JoinedContext {
  room: ClassRoom;
  peer: Peer;
  registry: ClassRoomRegistry;
  /** The session owns the token's clock: it verifies the new token and reschedules the expiry. */
  refreshToken(token: string): Promise<MediaReplyData<'refreshToken'>>;
}

export async function handleJoinedRequest(ctx: JoinedContext, request: MediaRequest): Promise<unknown> {
  const { room, peer, registry } = ctx;
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
      const target = moderatedPeer(room, peer, request.data.peerId);
      return { producersPaused: await mutePeer(room, target, actorOf(peer)) };
    }
    case 'muteAll':
      requireModerator(peer);
      return { producersPaused: await muteAll(room, actorOf(peer), request.data) };
    case 'stopScreenShare': {
      const target = moderatedPeer(room, peer, request.data.peerId);
      return { producersClosed: stopScreenShare(room, target) };
    }
    case 'removePeer': {
      const target = moderatedPeer(room, peer, request.data.peerId);
      if (target === peer) throw new AppError('bad_request', 'to remove yourself, send leave');
      await registry.leave(room, target, 'removed');
      target.disconnect(CLOSE_CODES.forbidden, `removed from the class media by ${peer.identity.name}`);
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
function moderatedPeer(room: ClassRoom, actor: Peer, targetId: string): Peer {
  requireModerator(actor);
  const target = room.peer(targetId);
  requireModerator(actor, target);
  return target;
}

function requireModerator(actor: Peer, target?: Peer): void {
  const decision = moderationDecision(actor.identity.role, target?.identity.role);
  if (!decision.ok) throw new AppError('forbidden', decision.reason);
}
