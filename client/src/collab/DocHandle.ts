// One shared document on the class socket: its Y.Doc, Hocuspocus provider, awareness, local IndexedDB copy
// (offline edits survive a reload and merge on reconnect), and a status the UI can subscribe to.
import { HocuspocusProvider, type HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import {
  type CollabNotice,
  type DocumentName,
  decodeCollabNotice,
  formatDocumentName,
  type UpdateRefusal,
} from '@tandem/shared';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

export type DocScope = 'pending' | 'read-write' | 'readonly';

export interface DocStatus {
  /** The server's copy and ours have been exchanged at least once since the last (re)connect. */
  synced: boolean;
  /** What the server allows; `pending` until it answers (treated as read-only). */
  scope: DocScope;
  /** Local updates not yet acknowledged by the server; 0 means "all changes saved". */
  unsynced: number;
  /** The local IndexedDB copy has been loaded (or is unavailable). */
  localLoaded: boolean;
  /** The server refused this document: its reason. */
  denied: string | null;
  /**
   * Edits were refused while the document was locked; they can never merge, so the document must be
   * reloaded from the server (CollabSession.reload does that).
   */
  stale: boolean;
  /**
   * The server refused one of our updates (and closed this document's connection): this copy can never merge
   * again. The handle has stopped sending; the session keeps the content aside and reloads the document.
   */
  refused: UpdateRefusal | null;
}

export interface DocHandleOptions {
  socket: HocuspocusProviderWebsocket;
  token: () => string;
  /** IndexedDB database name for the offline copy, or null for none. */
  persistenceKey: string | null;
  onAuthFailed: (handle: DocHandle, reason: string) => void;
}

type Listener = (status: DocStatus) => void;
type NoticeListener = (notice: CollabNotice) => void;

export class DocHandle {
  readonly name: string;
  readonly doc = new Y.Doc();
  readonly provider: HocuspocusProvider;
  readonly #persistence: IndexeddbPersistence | null = null;
  readonly #listeners = new Set<Listener>();
  readonly #noticeListeners = new Set<NoticeListener>();
  #status: DocStatus = {
    synced: false,
    scope: 'pending',
    unsynced: 0,
    localLoaded: false,
    denied: null,
    stale: false,
    refused: null,
  };

  constructor(
    readonly docName: DocumentName,
    options: DocHandleOptions,
  ) {
    this.name = formatDocumentName(docName);
    if (options.persistenceKey) {
      try {
        this.#persistence = new IndexeddbPersistence(options.persistenceKey, this.doc);
        this.#persistence.whenSynced.then(() => this.#patch({ localLoaded: true }));
      } catch {
        this.#persistence = null;
      }
    }
    if (!this.#persistence) this.#status.localLoaded = true;
    this.provider = new HocuspocusProvider({
      name: this.name,
      document: this.doc,
      websocketProvider: options.socket,
      token: options.token,
      onAuthenticated: ({ scope }) => this.#patch({ scope, denied: null }),
      onAuthenticationFailed: ({ reason }) => {
        this.#patch({ denied: reason, scope: 'pending' });
        options.onAuthFailed(this, reason);
      },
      onSynced: ({ state }) => this.#patch({ synced: state }),
      onUnsyncedChanges: ({ number }) => this.#patch({ unsynced: number }),
      onClose: () => this.#patch({ synced: false }),
      onStateless: ({ payload }) => {
        const notice = decodeCollabNotice(payload);
        if (notice) this.#handleNotice(notice);
      },
    });
    this.provider.attach();
  }

  get awareness(): Awareness {
    // Providers created here always have awareness (we never pass `awareness: null`).
    return this.provider.awareness as Awareness;
  }

  get status(): DocStatus {
    return this.#status;
  }

  get writable(): boolean {
    return this.#status.scope === 'read-write';
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Server notices on this document (access changes, class events). */
  onNotice(listener: NoticeListener): () => void {
    this.#noticeListeners.add(listener);
    return () => this.#noticeListeners.delete(listener);
  }

  /** Deletes the offline copy (before a reload: it may hold refused edits). */
  async clearLocalCopy(): Promise<void> {
    await this.#persistence?.clearData();
  }

  #handleNotice(notice: CollabNotice): void {
    if (notice.type === 'access') {
      if (notice.access === 'read') this.#patch({ scope: 'readonly' });
      // Changes sent while read-only were dropped by the server and will never be acknowledged.
      else this.#patch({ scope: 'read-write', stale: this.provider.unsyncedChanges > 0 });
    } else if (notice.type === 'updateRefused') {
      // Nothing more of this copy may reach the server: not the next keystroke, not a resend on reconnect.
      this.provider.detach();
      this.#patch({ refused: { code: notice.code, reason: notice.reason }, stale: true });
    }
    for (const listener of this.#noticeListeners) listener(notice);
  }

  #patch(patch: Partial<DocStatus>): void {
    const next = { ...this.#status, ...patch };
    if ((Object.keys(patch) as (keyof DocStatus)[]).every((k) => next[k] === this.#status[k])) return;
    this.#status = next;
    for (const listener of this.#listeners) listener(next);
  }

  destroy(): void {
    this.#listeners.clear();
    this.#noticeListeners.clear();
    this.provider.destroy();
    void this.#persistence?.destroy();
    this.doc.destroy();
  }
}
