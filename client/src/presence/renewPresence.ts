// Announces our own presence again after a reconnect, so others see us at once.
import type { Awareness } from 'y-protocols/awareness';

/**
 * Sets our state again under a newer clock (after the document authenticates, so after every reconnect): the
 * server told everyone our state was removed when the old connection closed, under the clock we last used,
 * and y-protocols clients only take a newer clock for a state; without this others saw us again only at the
 * 15 s renewal.
 */
export function renewPresence(awareness: Awareness | null): void {
  const current = awareness?.getLocalState();
  if (awareness && current) awareness.setLocalState(current);
}
