// One shared document on the class socket: its Y.Doc, Hocuspocus provider, awareness, local IndexedDB copy
// (offline edits survive a reload and merge on reconnect), and a status the UI can subscribe to. A local change
// too large for the server's message limit is refused here, before it is sent.
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
import { renewPresence } from '../presence/renewPresence.ts';
import { coalesceQueuedUpdates, dropQueuedMessages, gateDocumentUpdates } from './libraryInternals.ts';
import { type PendingSize, tooLargeToSend, updateMessageBytes } from './messageLimit.ts';

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
   * The server refused one of our updates (and closed this document's connection), or this copy holds a change
   * too large to send: it can never merge again. The handle has stopped sending; the session keeps the content
   * aside and reloads the document.
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

/** The server's default MAX_MESSAGE_BYTES, assumed until it tells its own (a `limits` notice). */
const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

export class DocHandle {
  readonly name: string;
  /** The class token the document is opened with (for its REST endpoints, e.g. history). */
  readonly token: () => string;
  readonly doc = new Y.Doc();
  readonly provider: HocuspocusProvider;
  readonly #persistence: IndexeddbPersistence | null = null;
  readonly #socket: HocuspocusProviderWebsocket;
  readonly #ungateUpdates: () => void;
  /** MAX_MESSAGE_BYTES, once the server has told it (a `limits` notice). */
  #maxMessageBytes: number | null = null;
  /** The largest local update handed to the provider since all our changes were last acknowledged. */
  #largestPendingUpdateBytes = 0;
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
    this.token = options.token;
    this.#socket = options.socket;
    if (options.persistenceKey) {
      try {
        this.#persistence = new IndexeddbPersistence(options.persistenceKey, this.doc);
        this.#persistence.whenSynced.then(() => {
          // What the local copy has that the server lacks goes in a sync step 2 (#admitUpdate): the handshake
          // still to come carries it, or a new one does if it has begun. Begun means authenticated, not
          // synced: the server sends its step 1 (which our step 2 answers) before its step 2 (which marks us
          // synced), so a copy loaded between the two would otherwise wait for the next reconnect.
          if (this.provider.isAuthenticated || this.provider.isSynced) this.provider.forceSync();
          this.#patch({ localLoaded: true });
        });
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
      // Reconnecting: what was typed offline goes in a few messages, not one per keystroke (libraryInternals.ts).
      onOpen: () => {
        const limit = this.#maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
        coalesceQueuedUpdates(options.socket, this.provider.effectiveName, Math.floor(limit / 2));
      },
      onAuthenticated: ({ scope }) => {
        this.#patch({ scope, denied: null });
        renewPresence(this.provider.awareness);
      },
      onAuthenticationFailed: ({ reason }) => {
        this.#patch({ denied: reason, scope: 'pending' });
        options.onAuthFailed(this, reason);
      },
      onSynced: ({ state }) => this.#patch({ synced: state }),
      onUnsyncedChanges: ({ number }) => {
        if (number === 0) this.#largestPendingUpdateBytes = 0;
        this.#patch({ unsynced: number });
      },
      onClose: () => this.#patch({ synced: false }),
      onStateless: ({ payload }) => {
        const notice = decodeCollabNotice(payload);
        if (notice) this.#handleNotice(notice);
      },
    });
    this.#ungateUpdates = gateDocumentUpdates(this.provider, (update, origin) =>
      this.#admitUpdate(update, origin),
    );
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

  /** What a socket closed with 1009 is blamed on (messageLimit.ts). */
  get pendingSize(): PendingSize {
    return {
      largestPendingUpdateBytes: this.#largestPendingUpdateBytes,
      maxMessageBytes: this.#maxMessageBytes,
      unsynced: this.#status.unsynced,
    };
  }

  /**
   * Stops this copy from ever reaching the server again: the server refused one of its updates, or it holds a
   * change too large to send. Messages of this copy still queued in the socket go too. The session keeps the
   * content aside and reloads the document (status.refused).
   */
  refuse(refusal: UpdateRefusal): void {
    if (this.#status.refused) return;
    this.provider.detach();
    dropQueuedMessages(this.#socket, this.provider.effectiveName);
    this.#patch({ refused: refusal, stale: true });
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
      this.refuse({ code: notice.code, reason: notice.reason });
    } else if (notice.type === 'limits') {
      this.#maxMessageBytes = notice.maxMessageBytes;
    }
    for (const listener of this.#noticeListeners) listener(notice);
  }

  /**
   * Whether a document update goes on to the provider (which sends it, or queues it while offline, and ignores
   * its own remote ones). The copy loaded from IndexedDB does not: sent as one update it would be the whole
   * document, over the message limit for any large one, on every page load; the sync handshake sends only what
   * the server lacks. A local change whose message is over the server's limit is refused instead, while
   * connected; offline it is queued, and the server refuses it on reconnect: refusing it now would reload the
   * document with no server to reload it from.
   */
  #admitUpdate(update: Uint8Array, origin: unknown): boolean {
    if (origin === this.provider) return true;
    if (origin === this.#persistence) return false;
    if (this.#status.refused) return false;
    const limit = this.#maxMessageBytes;
    if (limit !== null && this.provider.isAuthenticated) {
      const bytes = updateMessageBytes(this.provider.effectiveName, update.byteLength);
      if (bytes > limit) {
        this.refuse(tooLargeToSend(bytes, limit));
        return false;
      }
    }
    this.#largestPendingUpdateBytes = Math.max(this.#largestPendingUpdateBytes, update.byteLength);
    return true;
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
    this.#ungateUpdates();
    void this.#persistence?.destroy();
    this.doc.destroy();
  }
}
