// Staff actions in one room, shared by the signaling handlers and the in-process MediaService: the student
// publish policy and per-person grants (closing what they no longer allow), muting one peer or everyone (the
// server pauses their audio producers), stopping a camera or a screen share. The peer concerned is told who
// did it; they may turn a stopped camera or share on again when the rules allow it (as Zoom's "stop video").
import { isStaff, type PublishGrant, type PublishPolicy, publishDecision } from '@tandem/shared';
import type { ClassRoom } from './ClassRoom.ts';
import type { Peer, ProducerEntry } from './Peer.ts';

/** Who acted: a peer on the signaling socket, or the server itself (the classroom module). */
export interface Actor {
  peer: Peer | undefined;
  name: string;
}

export function actorOf(peer: Peer): Actor {
  return { peer, name: peer.identity.name };
}

/** Sets the student policy and closes student producers it no longer allows; returns how many closed. */
export function setPublishPolicy(room: ClassRoom, policy: PublishPolicy, actor: Actor): number {
  room.settings.policy = policy;
  room.settings.changedByStaff = true;
  const closed = closeDisallowed(room, [...room.peers.values()]);
  room.broadcast('publishPolicyChanged', { policy, byPeerId: actor.peer?.id ?? null, byName: actor.name });
  return closed;
}

/**
 * Lets the target's user speak or present beyond the policy (null: back to the policy alone), for as long as
 * the room's settings last; closes what the change no longer allows. Returns how many producers closed.
 */
export function setGrant(room: ClassRoom, target: Peer, grant: PublishGrant | null, actor: Actor): number {
  const userId = target.identity.id;
  if (grant) room.settings.grants.set(userId, grant);
  else room.settings.grants.delete(userId);
  room.settings.changedByStaff = true;
  const peers = room.peersOfUser(userId);
  for (const peer of peers) peer.grant = grant;
  const closed = closeDisallowed(room, peers);
  room.broadcast('publishGrantChanged', {
    peerId: target.id,
    userId,
    grant,
    byPeerId: actor.peer?.id ?? null,
    byName: actor.name,
  });
  return closed;
}

function closeDisallowed(room: ClassRoom, peers: Peer[]): number {
  let closed = 0;
  for (const peer of peers) {
    for (const entry of [...peer.producers.values()]) {
      if (publishDecision(peer.identity.role, room.policy, entry.source, peer.grant).ok) continue;
      room.closeProducer(entry, 'policy');
      closed++;
    }
  }
  return closed;
}

/** Pauses the target's audio producers (mic and screen audio); returns how many it paused. */
export async function mutePeer(room: ClassRoom, target: Peer, actor: Actor): Promise<number> {
  const candidates = [...target.producers.values()].filter(
    (e) => e.producer.kind === 'audio' && !e.producer.paused,
  );
  // A producer may close while we pause it (its owner left): mute what is still there.
  const results = await Promise.allSettled(candidates.map((e) => e.producer.pause()));
  const entries = candidates.filter(
    (_, i) => results[i]?.status === 'fulfilled' && !candidates[i]?.producer.closed,
  );
  for (const entry of entries) {
    entry.mutedByStaff = true;
    room.broadcast('producerPaused', { producerId: entry.producer.id, peerId: target.id, byStaff: true });
  }
  if (entries.length > 0) {
    target.notify('mutedByStaff', {
      producerIds: entries.map((e) => e.producer.id),
      byPeerId: actor.peer?.id ?? null,
      byName: actor.name,
    });
  }
  return entries.length;
}

/** Mutes everyone but the actor; staff too only when asked. Returns how many producers it paused. */
export async function muteAll(room: ClassRoom, actor: Actor, { includeStaff = false } = {}): Promise<number> {
  const targets = [...room.peers.values()].filter(
    (peer) => peer !== actor.peer && (includeStaff || !isStaff(peer.identity.role)),
  );
  const counts = await Promise.all(targets.map((peer) => mutePeer(room, peer, actor)));
  return counts.reduce((a, b) => a + b, 0);
}

/** Closes the target's camera; returns how many producers it closed (0 or 1). */
export function stopCamera(room: ClassRoom, target: Peer, actor: Actor): number {
  return stopSources(room, target, actor, 'camera', (e) => e.source === 'camera');
}

/** Closes the target's screen and screen-audio producers; returns how many it closed. */
export function stopScreenShare(room: ClassRoom, target: Peer, actor: Actor): number {
  return stopSources(
    room,
    target,
    actor,
    'screen',
    (e) => e.source === 'screen' || e.source === 'screen-audio',
  );
}

function stopSources(
  room: ClassRoom,
  target: Peer,
  actor: Actor,
  source: 'camera' | 'screen',
  matches: (entry: ProducerEntry) => boolean,
): number {
  const entries = [...target.producers.values()].filter(matches);
  for (const entry of entries) room.closeProducer(entry, 'stopped-by-staff');
  if (entries.length > 0) {
    target.notify('stoppedByStaff', {
      source,
      producerIds: entries.map((e) => e.producer.id),
      byPeerId: actor.peer?.id ?? null,
      byName: actor.name,
    });
  }
  return entries.length;
}
