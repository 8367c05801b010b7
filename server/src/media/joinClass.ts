// The `join` request: checks the protocol version and the class-scoped token (its `cls` must be the class
// the request names), asks the classroom whether this person may join the room named (removed from the class,
// a pair's room, a breakout group), then admits a new Peer to that room. The session owns what happens next.
import {
  identityFromClaims,
  MAIN_ROOM,
  MEDIA_PROTOCOL_VERSION,
  type MediaReplyData,
  type MediaRequestData,
  parseRoomScope,
  type RoomScope,
  type UserIdentity,
} from '@tandem/shared';
import type { TokenVerifier } from '../auth/verifier.ts';
import { AppError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { ClassRoom } from './ClassRoom.ts';
import type { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import { Peer, type PeerLink } from './Peer.ts';

/**
 * Who may join which room of their class, decided outside media (the classroom knows removals, pair documents
 * and breakout groups): resolves to admit, rejects with an AppError saying why not.
 */
export interface RoomAdmission {
  admit(user: UserIdentity, scope: RoomScope): Promise<void>;
}

export interface JoinDeps {
  registry: ClassRoomRegistry;
  verifier: TokenVerifier;
  metrics: Metrics;
  admission?: RoomAdmission;
}

export function checkProtocol(data: MediaRequestData<'join'>): void {
  if (data.protocol !== MEDIA_PROTOCOL_VERSION) {
    throw new AppError(
      'bad_request',
      `media protocol ${data.protocol} is not supported (this server speaks ${MEDIA_PROTOCOL_VERSION}); reload the page`,
    );
  }
}

export interface Joined {
  room: ClassRoom;
  peer: Peer;
  reply: MediaReplyData<'join'>;
  /** The token's `exp` claim (seconds): the session ends then unless the client refreshes it. */
  tokenExp: number;
}

export async function joinClass(
  deps: JoinDeps,
  data: MediaRequestData<'join'>,
  link: PeerLink,
  heartbeatIntervalMs: number,
): Promise<Joined> {
  const claims = await deps.verifier.verify(data.token).catch((error: unknown) => {
    deps.metrics.authFailures.inc({ reason: 'media_token' });
    throw error;
  });
  if (claims.cls !== data.classId) {
    deps.metrics.authFailures.inc({ reason: 'media_wrong_class' });
    throw new AppError(
      'forbidden',
      `this token is not valid for class ${data.classId}; get a token for that class`,
    );
  }
  const parsed = parseRoomScope(data.room ?? MAIN_ROOM);
  if (!parsed.ok) throw new AppError('bad_request', parsed.reason);
  const identity = identityFromClaims(claims);
  await deps.admission?.admit(identity, parsed.value);
  const peer = new Peer(identity, data.rtpCapabilities, link);
  return deps.registry.join(peer, parsed.value, (room) => ({
    room,
    peer,
    reply: joinReply(room, peer, heartbeatIntervalMs),
    tokenExp: claims.exp,
  }));
}

function joinReply(room: ClassRoom, peer: Peer, heartbeatIntervalMs: number): MediaReplyData<'join'> {
  return {
    you: peer.info(),
    room: room.name,
    policy: room.policy,
    maxPeers: room.maxPeers,
    peers: [...room.peers.values()].filter((p) => p !== peer).map((p) => p.info()),
    producers: room.producers(peer),
    heartbeatIntervalMs,
  };
}
