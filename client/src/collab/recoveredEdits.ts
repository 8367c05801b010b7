// Edits the server refused (an `updateRefused` notice), kept aside for the person: the affected document's files
// as this device had them, before the document is replaced by the server's copy. Kept in localStorage per user
// (a reload of the page does not lose them) until dismissed; the newest MAX_ENTRIES only.
import {
  boardShapesMap,
  type DocumentName,
  formatDocumentName,
  listCodeFiles,
  readShape,
  type UpdateRefusal,
  type UpdateRefusalCode,
} from '@tandem/shared';
import type * as Y from 'yjs';

export interface RecoveredFile {
  name: string;
  text: string;
}

export interface RecoveredEdit {
  id: string;
  docName: string;
  /** When the server refused the edits (ms since the epoch). */
  at: number;
  refusal: UpdateRefusal;
  files: RecoveredFile[];
}

const MAX_ENTRIES = 20;

/** The document's content as this device has it: code files as text, a whiteboard as JSON. */
export function snapshotContent(docName: DocumentName, doc: Y.Doc): RecoveredFile[] {
  switch (docName.kind) {
    case 'code':
    case 'ws':
      return listCodeFiles(doc).map((file) => ({ name: file.name, text: file.text.toString() }));
    case 'board': {
      const shapes = [...boardShapesMap(doc)].flatMap(([id, entry]) => readShape(id, entry) ?? []);
      return shapes.length ? [{ name: 'whiteboard.json', text: JSON.stringify(shapes, null, 2) }] : [];
    }
    case 'chat':
      return [];
    default: {
      const unreachable: never = docName.kind;
      return unreachable;
    }
  }
}

/** The recovered files that differ from the server's copy (the same text there needs no recovering). */
export function filesNotOnServer(files: readonly RecoveredFile[], server: readonly RecoveredFile[]) {
  const onServer = new Set(server.map((f) => `${f.name}\u0000${f.text}`));
  return files.filter((f) => !onServer.has(`${f.name}\u0000${f.text}`));
}

/** What to tell a person about a refusal, in one sentence that says what to do next. */
export function describeRefusal(code: UpdateRefusalCode): string {
  switch (code) {
    case 'document_too_large':
      return 'The document has reached its size limit: delete something (or move work to another file) before adding more.';
    case 'message_too_large':
      return 'That change was too large to send in one piece (a very large paste, for example): paste or change less at a time.';
    case 'update_too_costly':
      return 'That change was too large or came too fast for the server to take at once: wait a moment and make it in smaller steps.';
    case 'foreign_client':
    case 'missing_structs':
    case 'unknown_deletes':
      return 'Your copy no longer matched the server (for example after working offline), so it was reloaded from the server.';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

type Listener = (entries: readonly RecoveredEdit[]) => void;

export class RecoveredEditsStore {
  #entries: RecoveredEdit[];
  readonly #listeners = new Set<Listener>();

  /** `storageKey` null: kept in memory only (no user to key them by). */
  constructor(
    private readonly storageKey: string | null,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage(),
  ) {
    this.#entries = this.#read();
  }

  get entries(): readonly RecoveredEdit[] {
    return this.#entries;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Keeps the document's content as refused; returns the entry's id (for `keepOnly`). */
  add(docName: DocumentName, doc: Y.Doc, refusal: UpdateRefusal, now = Date.now()): string {
    const id = `${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const entry = {
      id,
      docName: formatDocumentName(docName),
      at: now,
      refusal,
      files: snapshotContent(docName, doc),
    };
    this.#set([entry, ...this.#entries].slice(0, MAX_ENTRIES));
    return id;
  }

  /** Once the server's copy is in: drops the files it has unchanged, and the entry if nothing is left. */
  keepOnly(id: string, server: readonly RecoveredFile[]): void {
    const next = this.#entries.flatMap((e) => {
      if (e.id !== id) return [e];
      const files = filesNotOnServer(e.files, server);
      return files.length ? [{ ...e, files }] : [];
    });
    this.#set(next);
  }

  dismiss(id: string): void {
    this.#set(this.#entries.filter((e) => e.id !== id));
  }

  #set(entries: RecoveredEdit[]): void {
    this.#entries = entries;
    if (this.storageKey) {
      try {
        this.storage?.setItem(this.storageKey, JSON.stringify(entries));
      } catch {
        // Storage full or unavailable: the entries stay in memory for this page.
      }
    }
    for (const listener of this.#listeners) listener(entries);
  }

  #read(): RecoveredEdit[] {
    if (!this.storageKey) return [];
    try {
      const parsed = JSON.parse(this.storage?.getItem(this.storageKey) ?? '[]');
      return Array.isArray(parsed) ? (parsed as RecoveredEdit[]) : [];
    } catch {
      return [];
    }
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
