// A document as it was at a moment (the server clock of its update log): the newest checkpoint written at or
// before t, then the log's entries after it up to t. Checkpoints are taken at every CHECKPOINT_EVERY_UPDATES-th
// sequence number, from the live document as updates are logged (CheckpointWriter.ts) and lazily by any seek
// that replays past one; each write is followed by the budget (checkpointBudget.ts).
import * as Y from 'yjs';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { DocumentStorage } from '../storage/types/documents.ts';
import type { Checkpoint, TimelineStorage } from '../storage/types/timeline.ts';
import {
  CHECKPOINT_EVERY_UPDATES,
  type CheckpointBudget,
  checkpointsOverBudget,
  DEFAULT_CHECKPOINT_BUDGET,
} from './checkpointBudget.ts';

/** Log entries read at a time while replaying. */
const PAGE_ROWS = 1000;

export interface SeekResult {
  /** The state as one Yjs update. */
  state: Uint8Array;
  /** The last log entry applied (0: none). */
  seq: number;
  /** The checkpoint started from (null: the log's start). */
  fromSeq: number | null;
  /** Log entries applied after it. */
  replayed: number;
}

export interface SeekerDeps {
  timeline: TimelineStorage;
  documents: Pick<DocumentStorage, 'oldestLoggedSeq'>;
  everyUpdates?: number;
  budget?: CheckpointBudget;
  log?: Logger;
}

export class DocumentSeeker {
  private readonly every: number;
  private readonly budget: CheckpointBudget;
  /** Checkpoint writes per document, one after another. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly deps: SeekerDeps) {
    this.every = deps.everyUpdates ?? CHECKPOINT_EVERY_UPDATES;
    this.budget = deps.budget ?? DEFAULT_CHECKPOINT_BUDGET;
  }

  /** `doc` as of `t` (every log entry written at or before t); AppError `not_found` when compacted away. */
  async stateAt(doc: string, t: number): Promise<SeekResult> {
    const { ydoc, ...found } = await this.docAt(doc, t);
    const state = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
    return { state, ...found };
  }

  /** As stateAt, as a Y.Doc the caller owns (and destroys). */
  async docAt(doc: string, t: number): Promise<Omit<SeekResult, 'state'> & { ydoc: Y.Doc }> {
    const { timeline } = this.deps;
    const { at, nextSeq } = await timeline.checkpointAt(doc, t);
    const ydoc = new Y.Doc();
    let seq = 0;
    if (at) {
      Y.applyUpdate(ydoc, at.state);
      seq = at.seq;
    } else {
      const oldest = await this.deps.documents.oldestLoggedSeq(doc);
      // A log that no longer starts at 1, or none left though later checkpoints exist: compacted away.
      if ((oldest !== null && oldest > 1) || (oldest === null && nextSeq !== null)) {
        throw new AppError(
          'not_found',
          `the history of ${doc} at that time is no longer kept (HISTORY_RETENTION_DAYS)`,
        );
      }
    }
    const fromSeq = at ? at.seq : null;
    let replayed = 0;
    const fresh: Checkpoint[] = [];
    for (let done = false; !done; ) {
      // The entry of the next checkpoint is later than t: read no further than the one before it.
      const rows = nextSeq === null ? PAGE_ROWS : Math.min(PAGE_ROWS, nextSeq - 1 - seq);
      if (rows <= 0) break;
      const page = await timeline.updates(doc, seq, rows);
      done = page.length < rows;
      let end = page.findIndex((u) => u.ts > t);
      if (end >= 0) done = true;
      else end = page.length;
      // One transaction per run up to the next checkpoint's seq: Yjs tidies up (merges, collects) once per run
      // rather than once per update, several times faster on a long tail.
      for (let i = 0; i < end; ) {
        const stop = Math.min(end, i + this.every - ((page[i]!.seq - 1) % this.every));
        ydoc.transact(() => {
          for (let j = i; j < stop; j++) Y.applyUpdate(ydoc, page[j]!.data);
        });
        const last = page[stop - 1]!;
        replayed += stop - i;
        seq = last.seq;
        if (seq % this.every === 0) fresh.push({ seq, ts: last.ts, state: Y.encodeStateAsUpdate(ydoc) });
        i = stop;
      }
    }
    if (fresh.length > 0) void this.save(doc, fresh);
    return { ydoc, seq, fromSeq, replayed };
  }

  /** Writes the checkpoints the log of `doc` is due, up to its end (background; failures are logged). */
  catchUp(doc: string): Promise<void> {
    return this.chain(doc, async () => {
      // Only the checkpoints it writes on the way are wanted, not the document's state at the end.
      (await this.docAt(doc, Number.MAX_SAFE_INTEGER)).ydoc.destroy();
    });
  }

  /**
   * Saves a checkpoint taken from the live document (CheckpointWriter.ts). `pending` (PostgreSQL) is the commit
   * of its last update and that update: the checkpoint waits for the commit, since it must never hold an update
   * the log could still lose, and is dropped unless the log then holds that update at its sequence number (a
   * commit lands without its rows when a newer lease of the class fenced them). On SQLite the update is in the
   * log once appended.
   */
  saveLive(
    doc: string,
    checkpoint: Checkpoint,
    pending: { durable: Promise<void>; update: Uint8Array } | null,
  ): Promise<void> {
    return this.chain(doc, async () => {
      if (pending) {
        await pending.durable;
        const [row] = await this.deps.timeline.updates(doc, checkpoint.seq - 1, 1);
        if (row?.seq !== checkpoint.seq || !sameBytes(row.data, pending.update)) {
          this.deps.log?.warn(
            { doc, seq: checkpoint.seq },
            'checkpoint dropped: the log does not hold its update',
          );
          return;
        }
      }
      await this.write(doc, [checkpoint]);
    });
  }

  /** Resolves once every checkpoint write started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes.values());
  }

  private save(doc: string, checkpoints: readonly Checkpoint[]): Promise<void> {
    return this.chain(doc, () => this.write(doc, checkpoints));
  }

  /** Writes checkpoints, then drops what the budget no longer keeps. */
  private async write(doc: string, checkpoints: readonly Checkpoint[]): Promise<void> {
    const { timeline } = this.deps;
    for (const c of checkpoints) await timeline.saveCheckpoint(doc, c);
    const over = checkpointsOverBudget(await timeline.checkpoints(doc), this.budget);
    await timeline.dropCheckpoints(doc, over);
  }

  private chain(doc: string, work: () => Promise<void>): Promise<void> {
    const previous = this.writes.get(doc) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) => this.deps.log?.error({ err: error, doc }, 'document checkpoint failed'));
    this.writes.set(doc, next);
    void next.then(() => {
      if (this.writes.get(doc) === next) this.writes.delete(doc);
    });
    return next;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
