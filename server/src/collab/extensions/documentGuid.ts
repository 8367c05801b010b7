// Names each document's Y.Doc after the document (its `guid`). Without one, Yjs draws a random UUID for every
// document it opens, one `crypto.getRandomValues` call per hex digit: about 90 µs of a joiner's CPU when a
// document is opened (docs/benchmarks.md, idle memory and opening). The server holds no subdocuments, the one
// thing a guid identifies in Yjs, so the name is all it needs to be.
// Hocuspocus takes the Y.Doc options from the last extension that answers onCreateDocument: this is the only one.
import type { Extension, onCreateDocumentPayload } from '@hocuspocus/server';

export class DocumentGuidExtension implements Extension {
  async onCreateDocument({ documentName }: onCreateDocumentPayload): Promise<{ guid: string }> {
    return { guid: documentName };
  }
}
