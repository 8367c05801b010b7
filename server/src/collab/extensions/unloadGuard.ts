// Keeps a stale unload from dropping a live document. Hocuspocus can call unloadDocument twice for the same
// document instance (a server-side DirectConnection's disconnect unloads it, and the store it triggered queues
// another unload on a timer); the second call only checks the document's name, so when a client has meanwhile
// loaded a fresh instance under that name, it removes the fresh one from the registry. Its connections then
// stay on an orphaned instance while the next client gets yet another one: two copies of one document. Throwing
// from beforeUnloadDocument makes Hocuspocus skip the unload, so stale calls end here.
import type { beforeUnloadDocumentPayload, Extension } from '@hocuspocus/server';
import type { Logger } from '../../logger.ts';

export class UnloadGuardExtension implements Extension {
  constructor(private readonly log: Logger) {}

  async beforeUnloadDocument({
    instance,
    documentName,
    document,
  }: beforeUnloadDocumentPayload): Promise<void> {
    if (instance.documents.get(documentName) === document) return;
    this.log.debug({ doc: documentName }, 'stale unload skipped: a newer instance is loaded');
    // Without a `message`, so Hocuspocus does not print it to the console as a failure.
    throw { reason: 'stale unload' };
  }
}
