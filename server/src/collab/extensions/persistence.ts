// Persistence on Hocuspocus's hooks: loads snapshot + log, appends every accepted update to the log as it is
// applied (before the sender is acknowledged), and compacts the log into snapshots. Works on any
// DocumentStorage: on SQLite an append is durable when it returns; on PostgreSQL it is durable when its group
// commit lands, and whenDurable() is what acknowledgements and relays wait on (durableRelay.ts).
import type {
  afterUnloadDocumentPayload,
  Document,
  Extension,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import type { Appended, DocumentStorage } from '../../storage/types/documents.ts';
import { userIdOfOrigin } from '../context.ts';
import type { Durability } from '../durableRelay.ts';
import { answerBeforeLoad, noteLoaded } from '../storedStateAnswers.ts';

const APPEND_TIMING_SAMPLE = 16;

export interface PersistenceOptions {
  /** Write a snapshot once this many updates have been logged since the last one. */
  snapshotEveryUpdates: number;
  /**
   * Cluster only: false once this node may no longer write the document (its class's lease lapsed). Updates
   * are then refused (the connection closes unacknowledged) and no snapshot is written.
   */
  mayWrite?: ((documentName: string) => boolean) | undefined;
  /** Called with the stored state a document was just built from (SharedFullStates.seed). */
  onStoredState?: ((document: Document, state: Uint8Array) => void) | undefined;
  /**
   * Called right after each update is logged, while the document holds exactly the updates up to it (the
   * timeline's checkpoints are taken from it then: CheckpointWriter.ts).
   */
  onLogged?: ((document: Document, appended: Appended, update: Uint8Array) => void) | undefined;
}

export class PersistenceExtension implements Extension, Durability {
  priority = 500;
  private readonly sinceSnapshot = new Map<string, number>();
  /** Sequence number of the last update logged per loaded document. */
  private readonly seqs = new Map<string, number>();
  private appends = 0;
  private readonly appendSeconds;
  /**
   * Per document, the durability of its latest append, until it settles. Commits land in order: it covers
   * every earlier append of the document.
   */
  private readonly latestDurable = new Map<string, Promise<void>>();

  constructor(
    private readonly store: DocumentStorage,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly options: PersistenceOptions,
  ) {
    this.appendSeconds = metrics.storeSeconds.labels('append');
  }

  async onLoadDocument({ document, documentName, context }: onLoadDocumentPayload): Promise<void> {
    const timer = this.metrics.storeSeconds.labels('load');
    const read = performance.now();
    const { state, seq, pendingLogEntries } = await this.store.load(documentName);
    let seconds = (performance.now() - read) / 1000;
    if (state) {
      // The client that asked for everything gets the stored bytes before they are integrated here.
      const answered = await answerBeforeLoad(context, documentName, state);
      const apply = performance.now();
      Y.applyUpdate(document, state, { source: 'local', skipStoreHooks: true });
      seconds += (performance.now() - apply) / 1000;
      if (answered) noteLoaded(context, documentName, document);
      this.options.onStoredState?.(document, state);
    }
    timer.observe(seconds);
    this.seqs.set(documentName, seq);
    this.sinceSnapshot.set(documentName, pendingLogEntries);
    if (pendingLogEntries >= this.options.snapshotEveryUpdates) await this.snapshot(document, seq);
    // Registered before Hocuspocus's own update listener, so an update is in the log before it is
    // broadcast or acknowledged.
    document.on('update', this.onUpdate);
    this.metrics.documentsLoaded.inc();
  }

  async onStoreDocument({ document, documentName, clientsCount }: onStoreDocumentPayload): Promise<void> {
    if (this.options.mayWrite?.(documentName) === false) return;
    const pending = this.sinceSnapshot.get(documentName) ?? 0;
    // The log already holds every update durably; snapshots only bound load time.
    if (pending >= this.options.snapshotEveryUpdates || (clientsCount === 0 && pending > 0)) {
      await this.snapshot(document, this.seqOf(documentName));
    }
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.sinceSnapshot.delete(documentName);
    this.seqs.delete(documentName);
    this.store.forget(documentName);
    this.metrics.documentsLoaded.dec();
  }

  /** Sequence number of the last update logged for a loaded document (0 if none). */
  seqOf(documentName: string): number {
    return this.seqs.get(documentName) ?? 0;
  }

  get pending(): boolean {
    return this.latestDurable.size > 0;
  }

  /**
   * Null when every update of the document logged so far is durable (always, on SQLite), else a promise that
   * settles once they are. Read when an acknowledgement or the document's content is sent.
   */
  whenDurable(documentName: string): Promise<void> | null {
    return this.latestDurable.get(documentName) ?? null;
  }

  /** Final compaction for every loaded document (shutdown). */
  async snapshotAll(documents: Iterable<Document>): Promise<void> {
    for (const document of documents) {
      if (this.options.mayWrite?.(document.name) === false) continue;
      if ((this.sinceSnapshot.get(document.name) ?? 0) > 0) {
        await this.snapshot(document, this.seqOf(document.name));
      }
    }
  }

  /** One listener for every document (Yjs passes the document): not a closure per loaded document. */
  private readonly onUpdate = (update: Uint8Array, origin: unknown, document: Y.Doc): void =>
    this.logUpdate(document as Document, update, origin);

  private logUpdate(document: Document, update: Uint8Array, origin: unknown): void {
    const documentName = document.name;
    if (this.options.mayWrite?.(documentName) === false) {
      // Thrown out of the transaction: the sender's handler fails and its connection closes unacknowledged.
      throw new AppError('unavailable', 'this node no longer serves this class; reconnect');
    }
    // Every append is counted; one in APPEND_TIMING_SAMPLE is timed (the timer costs more than counting).
    const timed = ++this.appends % APPEND_TIMING_SAMPLE === 0;
    const start = timed ? performance.now() : 0;
    const appended = this.store.append(documentName, update, userIdOfOrigin(origin));
    const { seq, durable } = appended;
    if (timed) this.appendSeconds.observe((performance.now() - start) / 1000);
    if (durable && durable !== this.latestDurable.get(documentName)) {
      this.latestDurable.set(documentName, durable);
      void durable.then(() => {
        if (this.latestDurable.get(documentName) === durable) this.latestDurable.delete(documentName);
      });
    }
    this.seqs.set(documentName, seq);
    this.metrics.counts.updatesApplied++;
    this.sinceSnapshot.set(documentName, (this.sinceSnapshot.get(documentName) ?? 0) + 1);
    this.options.onLogged?.(document, appended, update);
  }

  private async snapshot(document: Document, seq: number): Promise<void> {
    const end = this.metrics.storeSeconds.startTimer({ op: 'snapshot' });
    // Taken now, so it holds exactly the updates up to `seq`; the write may finish after later appends.
    const state = Y.encodeStateAsUpdate(document);
    const logged = this.sinceSnapshot.get(document.name) ?? 0;
    try {
      await this.store.saveSnapshot(document.name, state, seq);
      // Updates logged while the snapshot was written stay pending for the next one.
      const now = this.sinceSnapshot.get(document.name);
      if (now !== undefined) this.sinceSnapshot.set(document.name, Math.max(0, now - logged));
    } catch (error) {
      // The log still has everything; the next store retries.
      this.log.error({ err: error, doc: document.name }, 'snapshot failed');
    } finally {
      end();
    }
  }
}
