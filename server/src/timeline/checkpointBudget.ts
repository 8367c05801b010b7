// The checkpoint budget of one document (docs/timeline.md): at most MAX_CHECKPOINTS_PER_DOC checkpoints and
// MAX_CHECKPOINT_BYTES_PER_DOC bytes of their states. Over budget, the checkpoint whose removal leaves the
// smallest gap (in log entries) between its neighbours goes first, the older one on a tie; the newest stays.
// Checkpoints written every CHECKPOINT_EVERY_UPDATES entries thus thin out evenly as a document's log grows,
// and a seek replays at most about 2 x entries / MAX_CHECKPOINTS_PER_DOC entries after its checkpoint.
import type { CheckpointInfo } from '../storage/types/timeline.ts';

/** A checkpoint every this many logged updates of a document. */
export const CHECKPOINT_EVERY_UPDATES = 500;
export const MAX_CHECKPOINTS_PER_DOC = 256;
export const MAX_CHECKPOINT_BYTES_PER_DOC = 32 * 1024 * 1024;

export interface CheckpointBudget {
  maxCount: number;
  maxBytes: number;
}

export const DEFAULT_CHECKPOINT_BUDGET: CheckpointBudget = {
  maxCount: MAX_CHECKPOINTS_PER_DOC,
  maxBytes: MAX_CHECKPOINT_BYTES_PER_DOC,
};

/** The seqs of the checkpoints to drop so that `existing` (oldest first) fits the budget. */
export function checkpointsOverBudget(
  existing: readonly CheckpointInfo[],
  budget: CheckpointBudget = DEFAULT_CHECKPOINT_BUDGET,
): number[] {
  const kept = [...existing];
  let bytes = kept.reduce((sum, c) => sum + c.bytes, 0);
  const dropped: number[] = [];
  while (kept.length > 1 && (kept.length > budget.maxCount || bytes > budget.maxBytes)) {
    let victim = 0;
    let smallest = Number.POSITIVE_INFINITY;
    // The newest (last) is never a candidate: it bounds every seek after it.
    for (let i = 0; i < kept.length - 1; i++) {
      const gap = kept[i + 1]!.seq - (i === 0 ? 0 : kept[i - 1]!.seq);
      if (gap < smallest) {
        smallest = gap;
        victim = i;
      }
    }
    const [gone] = kept.splice(victim, 1);
    bytes -= gone!.bytes;
    dropped.push(gone!.seq);
  }
  return dropped;
}
