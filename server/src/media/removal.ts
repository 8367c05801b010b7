// Taking a peer out of its room (staff): it is told why (`removed`, with who did it), leaves the room like a
// peer that left, and its socket closes. From the call (4403): it may join again. From the class (4410): the
// classroom refuses the person everywhere until staff let them back in (classroom/Removals.ts).
import { CLOSE_CODES, removedFromCallReason, removedFromClassReason } from '@tandem/shared';
import { truncateUtf8 } from '../errors.ts';
import type { ClassRoom } from './ClassRoom.ts';
import type { ClassRoomRegistry } from './ClassRoomRegistry.ts';
import type { Actor } from './moderation.ts';
import type { Peer } from './Peer.ts';

export type RemovalScope = 'call' | 'class';

const CLOSE_REASON_BYTES = 123;

export async function removeFromRoom(
  registry: ClassRoomRegistry,
  room: ClassRoom,
  target: Peer,
  actor: Actor,
  scope: RemovalScope,
): Promise<void> {
  const reason = scope === 'call' ? removedFromCallReason(actor.name) : removedFromClassReason(actor.name);
  // Before leaving: a peer that left is told nothing more.
  target.notify('removed', { scope, byName: actor.name, reason });
  await registry.leave(room, target, 'removed');
  target.disconnect(
    scope === 'call' ? CLOSE_CODES.forbidden : CLOSE_CODES.removed,
    truncateUtf8(reason, CLOSE_REASON_BYTES),
  );
}
