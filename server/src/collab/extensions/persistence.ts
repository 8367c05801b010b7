// Persistence on Hocuspocus's hooks: loads snapshot + log, appends every accepted update to the log
// synchronously (before the sender is acknowledged), and compacts the log into snapshots.
import type {
  afterUnloadDocumentPayload,
  Document,
  Extension,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import type { DocumentStore } from '../../storage/DocumentStore.ts';
import { userIdOfOrigin } from '../context.ts';

const APPEND_TIMING_SAMPLE = 16;

export interface PersistenceOptions {
  /** Write a snapshot once this many updates have been logged since the last one. */
  snapshotEveryUpdates: number;
}

export class PersistenceExtension implements Extension {
  priority = 500;
  private readonly sinceSnapshot = new Map<string, number>();
  private appends = 0;
  private readonly appendSeconds;

  constructor(
    private readonly store: DocumentStore,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly options: PersistenceOptions,
  ) {
    this.appendSeconds = metrics.storeSeconds.labels('append');
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    const end = this.metrics.storeSeconds.startTimer({ op: 'load' });
    const { state, seq, pendingLogEntries } = this.store.load(documentName);
    if (state) Y.applyUpdate(document, state, { source: 'local', skipStoreHooks: true });
    end();
    this.sinceSnapshot.set(documentName, pendingLogEntries);
    if (pendingLogEntries >= this.options.snapshotEveryUpdates) this.snapshot(document, seq);
    // Registered before Hocuspocus's own update listener, so an update is in the log before it is
    // broadcast or acknowledged.
    document.on('update', (update: Uint8Array, origin: unknown) =>
      this.logUpdate(documentName, update, origin),
    );
    this.metrics.documentsLoaded.inc();
  }

  async onStoreDocument({ document, documentName, clientsCount }: onStoreDocumentPayload): Promise<void> {
    const pending = this.sinceSnapshot.get(documentName) ?? 0;
    // The log already holds every update durably; snapshots only bound load time.
    if (pending >= this.options.snapshotEveryUpdates || (clientsCount === 0 && pending > 0)) {
      this.snapshot(document, this.store.currentSeq(documentName));
    }
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.sinceSnapshot.delete(documentName);
    this.store.forget(documentName);
    this.metrics.documentsLoaded.dec();
  }

  /** Final compaction for every loaded document (shutdown). */
  snapshotAll(documents: Iterable<Document>): void {
    for (const document of documents) {
      if ((this.sinceSnapshot.get(document.name) ?? 0) > 0) {
        this.snapshot(document, this.store.currentSeq(document.name));
      }
    }
  }

  private logUpdate(documentName: string, update: Uint8Array, origin: unknown): void {
    // Every append is counted; one in APPEND_TIMING_SAMPLE is timed (the timer costs more than counting).
    const timed = ++this.appends % APPEND_TIMING_SAMPLE === 0;
    const start = timed ? performance.now() : 0;
    this.store.append(documentName, update, userIdOfOrigin(origin));
    if (timed) this.appendSeconds.observe((performance.now() - start) / 1000);
    this.metrics.counts.updatesApplied++;
    this.sinceSnapshot.set(documentName, (this.sinceSnapshot.get(documentName) ?? 0) + 1);
  }

  private snapshot(document: Document, seq: number): void {
    const end = this.metrics.storeSeconds.startTimer({ op: 'snapshot' });
    try {
      this.store.saveSnapshot(document.name, Y.encodeStateAsUpdate(document), seq);
      this.sinceSnapshot.set(document.name, 0);
    } catch (error) {
      // The log still has everything; the next store retries.
      this.log.error({ err: error, doc: document.name }, 'snapshot failed');
    } finally {
      end();
    }
  }
}
