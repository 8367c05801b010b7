// The checkpoint budget: the newest checkpoint always stays; over the count or byte cap, the one leaving the
// smallest gap goes first (the older on a tie), so checkpoints thin evenly.
import { describe, expect, it } from 'vitest';
import { checkpointsOverBudget } from '../../../server/src/timeline/checkpointBudget.ts';

const every = (n: number, step: number, bytes = 10) =>
  Array.from({ length: n }, (_, i) => ({ seq: (i + 1) * step, ts: i, bytes }));

describe('checkpointsOverBudget', () => {
  it('drops nothing within the budget', () => {
    expect(checkpointsOverBudget(every(4, 100), { maxCount: 4, maxBytes: 1000 })).toEqual([]);
  });

  it('thins evenly to the count cap and keeps the newest', () => {
    const dropped = checkpointsOverBudget(every(16, 100), { maxCount: 8, maxBytes: 1e9 });
    expect(dropped).toHaveLength(8);
    const kept = every(16, 100)
      .map((c) => c.seq)
      .filter((s) => !dropped.includes(s));
    expect(kept.at(-1)).toBe(1600);
    const gaps = kept.map((s, i) => s - (i === 0 ? 0 : kept[i - 1]!));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(200);
  });

  it('enforces the byte cap', () => {
    const dropped = checkpointsOverBudget(every(10, 100, 100), { maxCount: 100, maxBytes: 350 });
    expect(dropped).toHaveLength(7);
    expect(dropped).not.toContain(1000);
  });

  it('keeps the newest even when it alone is over the byte cap', () => {
    expect(checkpointsOverBudget([{ seq: 5, ts: 1, bytes: 999 }], { maxCount: 1, maxBytes: 1 })).toEqual([]);
  });
});
