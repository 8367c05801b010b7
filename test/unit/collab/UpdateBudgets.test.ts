// Per-user update budgets: one budget per user across calls, refusals once it is spent, refilled with time, and
// the least recently active users forgotten first once 10,000 are kept (their order refreshed at most once a
// second, so an update does not reorder the table each time).
import { describe, expect, it } from 'vitest';
import { UpdateBudgets } from '../../../server/src/collab/UpdateBudgets.ts';

const LIMITS = { operationsPerSec: 10, operationsBurst: 10, bytesPerSec: 100, bytesBurst: 100 };

function clock() {
  const c = { t: 1_000_000, now: () => c.t };
  return c;
}

describe('UpdateBudgets', () => {
  it("spends one user's operations and bytes across calls, refuses past them and refills with time", () => {
    const c = clock();
    const budgets = new UpdateBudgets(LIMITS, c.now);
    expect(budgets.takeOperations('ada', 10)).toBe(true);
    expect(budgets.takeOperations('ada', 1)).toBe(false);
    expect(budgets.takeBytes('ada', 100)).toBe(true);
    expect(budgets.takeBytes('ada', 1)).toBe(false);
    // Another user has a budget of their own.
    expect(budgets.takeOperations('grace', 10)).toBe(true);
    c.t += 500;
    expect(budgets.takeOperations('ada', 5)).toBe(true);
    expect(budgets.takeOperations('ada', 1)).toBe(false);
  });

  it('forgets the least recently active user first, and keeps one who was active since', () => {
    const c = clock();
    // One operation a second: what a kept user has left shows after a second and a half.
    const budgets = new UpdateBudgets({ ...LIMITS, operationsPerSec: 1 }, c.now);
    expect(budgets.takeOperations('early', 10)).toBe(true);
    expect(budgets.takeOperations('active', 10)).toBe(true);
    for (let i = 0; i < 9_998; i++) budgets.takeOperations(`user${i}`, 10);
    c.t += 1500;
    // 'active' sends again (1.5 refilled, 1 spent): it is now the most recently active.
    expect(budgets.takeOperations('active', 1)).toBe(true);
    // Two newcomers push out the two least recently active: 'early', then user0.
    budgets.takeOperations('newcomer1', 1);
    budgets.takeOperations('newcomer2', 1);
    // Kept users have what they had; a forgotten one starts with a full budget again.
    expect(budgets.takeOperations('active', 1)).toBe(false);
    expect(budgets.takeOperations('user1', 10)).toBe(false);
    expect(budgets.takeOperations('early', 10)).toBe(true);
  });
});
