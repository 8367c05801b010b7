// Writes document checkpoints as updates accrue: a collaboration extension that counts each document's changes
// and, every CHECKPOINT_EVERY_UPDATES of them, has the seeker catch the document's checkpoints up in the
// background (reading the log, off the path of the update itself).
import type { Extension, onChangePayload } from '@hocuspocus/server';
import { CHECKPOINT_EVERY_UPDATES } from './checkpointBudget.ts';
import type { DocumentSeeker } from './DocumentSeeker.ts';

export class CheckpointWriter implements Extension {
  /** After persistence (500): the update is logged when this runs. */
  priority = 400;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly seeker: Pick<DocumentSeeker, 'catchUp'>,
    private readonly every = CHECKPOINT_EVERY_UPDATES,
  ) {}

  async onChange({ documentName }: onChangePayload): Promise<void> {
    const n = (this.counts.get(documentName) ?? 0) + 1;
    if (n < this.every) {
      this.counts.set(documentName, n);
      return;
    }
    this.counts.set(documentName, 0);
    void this.seeker.catchUp(documentName);
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.counts.delete(documentName);
  }
}
