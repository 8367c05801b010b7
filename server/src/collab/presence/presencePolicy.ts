// Which entries of an inbound awareness update a connection may set: its own client ids only, a few of them,
// each state small. Pure: ownership and clocks come in through `PresenceView`, decisions go out as data.
//
// Ownership: a connection owns the client ids it announced first. An id nobody owns is claimed by the first
// connection that sets a state for it with a newer clock, up to `maxOwnedClientIds` per connection (a provider
// uses one id per document). An id owned by another connection of the same person, open or closed (a reconnect,
// also while the old socket is not yet known to be dead), moves to the new connection. Any other id is foreign:
// its states and its removals are dropped, which is also what happens to the peers' states a y-websocket client
// echoes back.
import type { AwarenessEntry } from './awarenessUpdate.ts';
import { isRemoval } from './awarenessUpdate.ts';

export type DropReason = 'foreign' | 'owned_limit' | 'oversize' | 'throttled';
export const DROP_REASONS: readonly DropReason[] = ['foreign', 'owned_limit', 'oversize', 'throttled'];

export interface PresenceLimits {
  /** Client ids one connection may own on one document. */
  maxOwnedClientIds: number;
  /** Largest state, in bytes of JSON. */
  maxStateBytes: number;
}

/** What the policy needs to know about a document's presence, from the point of view of one connection. */
export interface PresenceView {
  /**
   * Who owns `clientId` (or owned it, if its connection has closed): this connection, another connection of the
   * same person, someone else, or nobody ever.
   */
  ownerOf(clientId: number): 'self' | 'same_person' | 'other' | undefined;
  /** The document's current clock for `clientId`, 0 when never seen. */
  clockOf(clientId: number): number;
  /** How many ids this connection owns already. */
  ownedCount: number;
}

export interface Admission {
  accepted: AwarenessEntry[];
  /** Ids this connection takes ownership of with this update (a subset of the accepted ids). */
  claimed: number[];
  dropped: Partial<Record<DropReason, number>>;
}

export function admitEntries(
  entries: readonly AwarenessEntry[],
  view: PresenceView,
  limits: PresenceLimits,
): Admission {
  const accepted: AwarenessEntry[] = [];
  const claimed: number[] = [];
  const dropped: Partial<Record<DropReason, number>> = {};
  const drop = (reason: DropReason) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1;
  };
  for (const entry of entries) {
    if (entry.json.length > limits.maxStateBytes) {
      drop('oversize');
      continue;
    }
    const owner = claimed.includes(entry.clientId) ? 'self' : view.ownerOf(entry.clientId);
    if (owner === 'self') {
      accepted.push(entry);
      continue;
    }
    // Taking an id needs a state (never a removal) that would apply: an echo of an old state claims nothing.
    if (owner === 'other' || isRemoval(entry) || entry.clock <= view.clockOf(entry.clientId)) {
      drop('foreign');
      continue;
    }
    if (view.ownedCount + claimed.length >= limits.maxOwnedClientIds) {
      drop('owned_limit');
      continue;
    }
    claimed.push(entry.clientId);
    accepted.push(entry);
  }
  return { accepted, claimed, dropped };
}
