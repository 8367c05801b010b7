// The class's one WebSocket to /collab, shared by every document the page opens (code, board, ...), with
// the connection state machine, reconnects with backoff and jitter, and refusal handling (4401/4403; 1009,
// a message over the server's hard cap: the documents that sent it are refused and reloaded, not resent).
import { HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { CLOSE_CODES, type DocumentName, formatDocumentName } from '@tandem/shared';
import type { TokenStore } from '../auth/TokenStore.ts';
import { hocuspocusRetryOptions } from './backoff.ts';
import {
  type ConnectionEvent,
  type ConnectionState,
  INITIAL_CONNECTION,
  nextConnectionState,
  splitAuthReason,
} from './connectionState.ts';
import { DocHandle } from './DocHandle.ts';
import { blameForTooLarge, CLOSED_AS_TOO_LARGE } from './messageLimit.ts';
import { RecoveredEditsStore, snapshotContent } from './recoveredEdits.ts';

type Listener = (state: ConnectionState) => void;
type DocsListener = () => void;

export function collabUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}

export class CollabSession {
  readonly socket: HocuspocusProviderWebsocket;
  /** Edits the server refused, kept aside for the person (see recoveredEdits.ts). */
  readonly recovered: RecoveredEditsStore;
  readonly #tokens: TokenStore;
  readonly #docs = new Map<
    string,
    { handle: DocHandle; refs: number; persistenceUserId: string | null; reloading?: boolean }
  >();
  readonly #listeners = new Set<Listener>();
  readonly #docsListeners = new Set<DocsListener>();
  readonly #unsubscribeToken: () => void;
  #state: ConnectionState = INITIAL_CONNECTION;

  constructor(url: string, tokens: TokenStore) {
    this.#tokens = tokens;
    const claims = tokens.claims;
    this.recovered = new RecoveredEditsStore(claims ? `tandem:recovered:${claims.cls}:${claims.sub}` : null);
    this.socket = new HocuspocusProviderWebsocket({
      url,
      ...hocuspocusRetryOptions(),
      // A token-less embed waits for the host's setToken before connecting.
      autoConnect: tokens.token !== null,
    });
    this.socket.on('status', ({ status }: { status: string }) => {
      if (status === 'connecting') this.#dispatch({ type: 'connecting' });
    });
    this.socket.on('connect', () => this.#dispatch({ type: 'open' }));
    this.socket.on('disconnect', ({ event }: { event: { code: number; reason: string } }) => {
      if (event.code === CLOSE_CODES.tooLarge) this.#refuseTooLarge();
      this.#dispatch({ type: 'close', code: event.code, reason: String(event.reason ?? ''), at: Date.now() });
    });
    this.#unsubscribeToken = tokens.subscribe(() => {
      const connected = this.socket.status === 'connected';
      this.#dispatch({ type: 'tokenChanged' });
      if (!connected) {
        // Every document authenticates with the new token when the socket opens.
        void this.socket.connect();
        return;
      }
      // Still connected: documents the old token could not open get another chance now; the others pick the
      // new token up when the server asks for a refresh.
      for (const { handle } of this.#docs.values()) {
        if (handle.status.denied) void handle.provider.sendToken();
      }
      this.#dispatch({ type: 'open' });
    });
    window.addEventListener('online', this.#onBrowserOnline);
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The current token (the media connection signs in with the same one). */
  token(): string | null {
    return this.#tokens.token;
  }

  /** Called with every new token (an embed host's setToken), so the media connection can refresh too. */
  subscribeToken(listener: () => void): () => void {
    return this.#tokens.subscribe(() => listener());
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens (or shares) a document; call `release` with the same name when done. */
  open(docName: DocumentName, persistenceUserId: string | null): DocHandle {
    const name = formatDocumentName(docName);
    const existing = this.#docs.get(name);
    if (existing) {
      existing.refs++;
      return existing.handle;
    }
    const handle = this.#create(docName, persistenceUserId);
    this.#docs.set(name, { handle, refs: 1, persistenceUserId });
    return handle;
  }

  /** The current handle for a document this session has open (it changes when reloaded). */
  get(docName: DocumentName): DocHandle | null {
    return this.#docs.get(formatDocumentName(docName))?.handle ?? null;
  }

  subscribeDocs(listener: DocsListener): () => void {
    this.#docsListeners.add(listener);
    return () => this.#docsListeners.delete(listener);
  }

  /**
   * Replaces a document with a fresh copy from the server, dropping local changes it refused. Changes refused
   * by an `updateRefused` notice are kept in `recovered` first, as far as the server's copy lacks them.
   */
  async reload(docName: DocumentName): Promise<void> {
    const name = formatDocumentName(docName);
    const entry = this.#docs.get(name);
    if (!entry || entry.reloading) return;
    entry.reloading = true;
    const old = entry.handle;
    const refusal = old.status.refused;
    const kept = refusal ? this.recovered.add(docName, old.doc, refusal) : null;
    // The offline copy holds the refused edits: gone before the fresh copy opens it, so they are never resent.
    await old.clearLocalCopy();
    old.destroy();
    entry.reloading = false;
    if (this.#docs.get(name) !== entry) return;
    const fresh = this.#create(docName, entry.persistenceUserId);
    entry.handle = fresh;
    for (const listener of this.#docsListeners) listener();
    if (kept) {
      const off = fresh.subscribe((status) => {
        if (!status.synced) return;
        off();
        this.recovered.keepOnly(kept, snapshotContent(docName, fresh.doc));
      });
    }
  }

  #create(docName: DocumentName, persistenceUserId: string | null): DocHandle {
    const name = formatDocumentName(docName);
    const handle = new DocHandle(docName, {
      socket: this.socket,
      token: () => this.#tokens.token ?? '',
      persistenceKey: persistenceUserId ? `tandem:${persistenceUserId}:${name}` : null,
      onAuthFailed: (_doc, reason) => this.#handleAuthFailed(reason),
    });
    handle.subscribe((status) => {
      if (status.stale) void this.reload(docName);
    });
    return handle;
  }

  release(docName: DocumentName): void {
    const name = formatDocumentName(docName);
    const entry = this.#docs.get(name);
    if (!entry) return;
    entry.refs--;
    if (entry.refs > 0) return;
    this.#docs.delete(name);
    entry.handle.destroy();
  }

  destroy(): void {
    window.removeEventListener('online', this.#onBrowserOnline);
    this.#unsubscribeToken();
    for (const { handle } of this.#docs.values()) handle.destroy();
    this.#docs.clear();
    this.socket.destroy();
    this.#listeners.clear();
    this.#docsListeners.clear();
  }

  /**
   * The server closed the socket for a frame over its hard cap (1009): reconnecting would resend the same
   * update or sync step 2 forever, so the copies blamed for it are refused (kept aside, reloaded) instead.
   */
  #refuseTooLarge(): void {
    const candidates = [...this.#docs.values()]
      .map(({ handle }) => ({ handle, ...handle.pendingSize }))
      .filter(({ handle }) => !handle.status.refused);
    for (const { handle } of blameForTooLarge(candidates)) handle.refuse(CLOSED_AS_TOO_LARGE);
  }

  /**
   * Connects again with the same token after a refusal that may have ended (staff let a removed person back
   * in): every document authenticates again; if the refusal still holds, the state goes back to refused.
   */
  retry(): void {
    this.#dispatch({ type: 'tokenChanged' });
    void this.socket.connect();
  }

  #handleAuthFailed(reason: string): void {
    const { code } = splitAuthReason(reason);
    const everyDocDenied = [...this.#docs.values()].every(({ handle }) => handle.status.denied !== null);
    // A bad or expired token fails every document; a forbidden single document leaves the others working.
    if (code === CLOSE_CODES.unauthorized || everyDocDenied) {
      this.#dispatch({ type: 'authFailed', reason });
    }
  }

  #dispatch(event: ConnectionEvent): void {
    const next = nextConnectionState(this.#state, event);
    if (next === this.#state) return;
    this.#state = next;
    // Retrying a refused token only hammers the server; wait for a new token instead.
    if (next.status === 'refused') this.socket.disconnect();
    for (const listener of this.#listeners) listener(next);
  }

  readonly #onBrowserOnline = () => {
    if (this.#state.status === 'offline' || this.#state.status === 'connecting') void this.socket.connect();
  };
}
