// Staff actions on a class, shared by the signaling handlers and the in-process MediaService: change the
// student publish policy, mute one peer or everyone (the server pauses their audio producers and tells
// them), and stop a screen share.
import { isStaff, type PublishPolicy, publishDecision } from '@tandem/shared';
import type { ClassRoom } from './ClassRoom.ts';
import type { Peer } from './Peer.ts';

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
  room.policy = policy;
  let closed = 0;
  for (const peer of room.peers.values()) {
    for (const entry of [...peer.producers.values()]) {
      if (publishDecision(peer.identity.role, policy, entry.source).ok) continue;
      room.closeProducer(entry, 'policy');
      closed++;
    }
  }
  room.broadcast('publishPolicyChanged', { policy, byPeerId: actor.peer?.id ?? null });
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

/** Closes the target's screen and screen-audio producers; returns how many it closed. */
export function stopScreenShare(room: ClassRoom, target: Peer): number {
  const entries = [...target.producers.values()].filter(
    (e) => e.source === 'screen' || e.source === 'screen-audio',
  );
  for (const entry of entries) room.closeProducer(entry, 'stopped-by-staff');
  return entries.length;
}
