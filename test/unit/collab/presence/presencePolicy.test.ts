import { describe, expect, it } from 'vitest';
import type { AwarenessEntry } from '../../../../server/src/collab/presence/awarenessUpdate.ts';
import { admitEntries, type PresenceView } from '../../../../server/src/collab/presence/presencePolicy.ts';

const limits = { maxOwnedClientIds: 2, maxStateBytes: 64 };
const text = new TextEncoder();
const entry = (clientId: number, clock: number, state: unknown): AwarenessEntry => ({
  clientId,
  clock,
  json: text.encode(JSON.stringify(state)),
});

function view(
  owners: Record<number, 'self' | 'same_person' | 'other'>,
  clocks: Record<number, number> = {},
): PresenceView {
  const owned = Object.values(owners).filter((o) => o === 'self').length;
  return { ownerOf: (id) => owners[id], clockOf: (id) => clocks[id] ?? 0, ownedCount: owned };
}

describe('admitEntries', () => {
  it('accepts states and removals of ids the connection owns', () => {
    const result = admitEntries([entry(1, 5, { a: 1 }), entry(1, 6, null)], view({ 1: 'self' }), limits);
    expect(result.accepted.map((e) => e.clock)).toEqual([5, 6]);
    expect(result.claimed).toEqual([]);
    expect(result.dropped).toEqual({});
  });

  it("drops another connection's ids, states and removals alike", () => {
    const result = admitEntries([entry(9, 99, { a: 1 }), entry(9, 100, null)], view({ 9: 'other' }), limits);
    expect(result.accepted).toEqual([]);
    expect(result.dropped).toEqual({ foreign: 2 });
  });

  it('claims unowned ids with a state, up to the cap', () => {
    const entries = [entry(1, 1, {}), entry(2, 1, {}), entry(3, 1, {}), entry(1, 2, { again: true })];
    const result = admitEntries(entries, view({}), limits);
    expect(result.claimed).toEqual([1, 2]);
    expect(result.accepted.map((e) => e.clientId)).toEqual([1, 2, 1]);
    expect(result.dropped).toEqual({ owned_limit: 1 });
  });

  it('counts ids already owned against the cap', () => {
    const result = admitEntries([entry(2, 1, {}), entry(3, 1, {})], view({ 1: 'self' }), limits);
    expect(result.claimed).toEqual([2]);
    expect(result.dropped).toEqual({ owned_limit: 1 });
  });

  it('claims nothing with a removal or with an old clock (an echo of a state already seen)', () => {
    const result = admitEntries([entry(4, 1, null), entry(5, 3, { echo: true })], view({}, { 5: 3 }), limits);
    expect(result.claimed).toEqual([]);
    expect(result.dropped).toEqual({ foreign: 2 });
  });

  it("takes over an id of the same person's other connection (a reconnect)", () => {
    const result = admitEntries([entry(8, 4, { back: true })], view({ 8: 'same_person' }, { 8: 3 }), limits);
    expect(result.claimed).toEqual([8]);
    expect(result.accepted).toHaveLength(1);
  });

  it('drops oversize states, even of owned ids', () => {
    const result = admitEntries([entry(1, 2, { pad: 'x'.repeat(100) })], view({ 1: 'self' }), limits);
    expect(result.accepted).toEqual([]);
    expect(result.dropped).toEqual({ oversize: 1 });
  });
});
