// Per-user budgets for client updates, shared by all of a user's connections and documents: operations (what
// applying costs the server, updateCost.ts) and bytes (what storing and relaying costs), each a token bucket.
// A single update is bounded by MAX_UPDATE_OPERATIONS and MAX_MESSAGE_BYTES; these bound how many such updates
// one person can send in a row, so that one participant cannot keep the event loop or the disk busy.
import { TokenBucket } from '../util/TokenBucket.ts';

/** Users whose buckets are kept; the least recently active beyond this are forgotten (they start full). */
const MAX_USERS = 10_000;

export interface UpdateBudgetLimits {
  operationsPerSec: number;
  operationsBurst: number;
  bytesPerSec: number;
  bytesBurst: number;
}

/**
 * How long a user's place in the least-recently-active order may lag behind: moving an entry to the end of the
 * Map on every update (twice per update: bytes, then operations) churned its table at thousands of updates a
 * second; once a second is as good for choosing whom to forget.
 */
const REORDER_AFTER_MS = 1000;

interface Budget {
  operations: TokenBucket;
  bytes: TokenBucket;
  /** When the entry last moved to the end of the order. */
  reorderedAt: number;
}

export class UpdateBudgets {
  private readonly budgets = new Map<string, Budget>();

  constructor(
    private readonly limits: UpdateBudgetLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes an update's bytes from `userId`'s budget, before it is decoded (decoding costs in proportion to
   * them, refused or not); false when the budget cannot cover them.
   */
  takeBytes(userId: string, bytes: number): boolean {
    return this.budgetOf(userId).bytes.take(bytes);
  }

  /** Takes an accepted update's estimated operations from `userId`'s budget; false when it cannot cover them. */
  takeOperations(userId: string, operations: number): boolean {
    return this.budgetOf(userId).operations.take(operations);
  }

  private budgetOf(userId: string): Budget {
    const now = this.now();
    const budget = this.budgets.get(userId);
    if (budget) {
      if (now - budget.reorderedAt < REORDER_AFTER_MS) return budget;
      // Re-inserted so that the Map's order is least recently active first.
      this.budgets.delete(userId);
      budget.reorderedAt = now;
      this.budgets.set(userId, budget);
      return budget;
    }
    if (this.budgets.size >= MAX_USERS) this.budgets.delete(this.budgets.keys().next().value!);
    const { operationsPerSec, operationsBurst, bytesPerSec, bytesBurst } = this.limits;
    const created = {
      operations: new TokenBucket(operationsPerSec, operationsBurst, this.now),
      bytes: new TokenBucket(bytesPerSec, bytesBurst, this.now),
      reorderedAt: now,
    };
    this.budgets.set(userId, created);
    return created;
  }
}
