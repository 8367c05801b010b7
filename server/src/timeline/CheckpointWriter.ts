// Writes a document's timeline checkpoints from the live document: when the update with a sequence number that
// is a multiple of CHECKPOINT_EVERY_UPDATES is logged, the document holds exactly the updates up to it, so its
// state is encoded then (PersistenceExtension's onLogged, inside the update's own listener) and saved in the
// background once that update is durable. Encoding the document the server already holds replaces rebuilding it
// from the previous checkpoint and the log after it: reading 500 log entries, applying them to a fresh Y.Doc
// and encoding that (11 % of the server's CPU in steady typing, docs/benchmarks.md). Seeks still write any
// checkpoint that is missing (a node that stopped between the update and the save) as they replay past it.
import type { Document } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Appended } from '../storage/types/documents.ts';
import { CHECKPOINT_EVERY_UPDATES } from './checkpointBudget.ts';
import type { DocumentSeeker } from './DocumentSeeker.ts';

export class CheckpointWriter {
  constructor(
    private readonly seeker: Pick<DocumentSeeker, 'saveLive'>,
    private readonly every = CHECKPOINT_EVERY_UPDATES,
  ) {}

  /** After each logged update of a loaded document (`update`: the update just logged). */
  logged(document: Document, { seq, ts, durable }: Appended, update: Uint8Array): void {
    if (seq % this.every !== 0) return;
    const checkpoint = { seq, ts, state: Y.encodeStateAsUpdate(document) };
    this.seeker.saveLive(document.name, checkpoint, durable && { durable, update });
  }
}
