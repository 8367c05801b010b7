// The class's one WebSocket to /collab, shared by every document the page opens (code, board, ...), with
// the connection state machine, reconnects with backoff and jitter, refusal handling (4401/4403; 1009,
// a message over the server's hard cap: the documents that sent it are refused and reloaded, not resent),
// and a quick "offline": on the browser's offline event at once, and when the heartbeat goes unanswered.
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
import { Heartbeat } from './heartbeat.ts';
import { blameForTooLarge, CLOSED_AS_TOO_LARGE } from './messageLimit.ts';
import { RecoveredEditsStore, snapshotContent } from './recoveredEdits.ts';

type Listener = (state: ConnectionState) => void;

/**
 * Hocuspocus closes a socket that received nothing for this long; the heartbeat keeps a healthy one busy
 * every few seconds, so a dead one is closed (and reconnected) sooner than the default 30 s.
 */
const MESSAGE_RECONNECT_TIMEOUT_MS = 15_000;
type DocsListener = () => void;

/** `?class=` names the page's class so that, in a cluster, any node can send the socket to the class's owner. */
export function collabUrl(location: Pick<Location, 'protocol' | 'host'>, classId: string): string {
  const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
  return `${base}?class=${encodeURIComponent(classId)}`;
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
  readonly #heartbeat = new Heartbeat({
    probe: () => this.#probe(),
    onStall: () => this.#dispatch({ type: 'stalled', at: Date.now() }),
  });

  constructor(url: string, tokens: TokenStore) {
    this.#tokens = tokens;
    const claims = tokens.claims;
    this.recovered = new RecoveredEditsStore(claims ? `tandem:recovered:${claims.cls}:${claims.sub}` : null);
    this.socket = new HocuspocusProviderWebsocket({
      url,
      ...hocuspocusRetryOptions(),
      messageReconnectTimeout: MESSAGE_RECONNECT_TIMEOUT_MS,
      // A token-less embed waits for the host's setToken before connecting.
      autoConnect: tokens.token !== null,
    });
    this.socket.on('status', ({ status }: { status: string }) => {
      // Retries while the browser is offline change nothing worth saying: it is offline.
      if (status === 'connecting' && navigator.onLine !== false) this.#dispatch({ type: 'connecting' });
    });
    this.socket.on('connect', () => {
      this.#heartbeat.heard();
      if (navigator.onLine !== false) this.#dispatch({ type: 'open' });
    });
    this.socket.on('message', () => {
      this.#heartbeat.heard();
      if (navigator.onLine !== false) this.#dispatch({ type: 'heard' });
    });
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
    window.addEventListener('offline', this.#onBrowserOffline);
    this.#heartbeat.start();
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
    this.#heartbeat.stop();
    window.removeEventListener('online', this.#onBrowserOnline);
    window.removeEventListener('offline', this.#onBrowserOffline);
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
    const state = this.#state;
    // A socket that lived through the network going away rarely works after it: start a fresh one now
    // rather than wait for it to time out (its documents resync on the new one).
    if (state.status === 'offline' && state.cause !== 'closed' && this.socket.status === 'connected')
      this.socket.onClose({
        event: { code: CLOSE_CODES.goingAway, reason: 'the network changed' } as CloseEvent,
      });
    if (state.status === 'offline' || state.status === 'connecting') void this.socket.connect();
  };

  readonly #onBrowserOffline = () => this.#dispatch({ type: 'browserOffline', at: Date.now() });

  /**
   * The heartbeat's probe: renews our presence on an authenticated document (as y-protocols does every 15 s
   * anyway). The server sends the merged presence frame to every connection of the document, the sender's
   * included, so an answer comes back, and it keeps everyone else's heartbeat quiet too.
   */
  #probe(): boolean {
    if (this.socket.status !== 'connected') return false;
    for (const { handle } of this.#docs.values()) {
      const state = handle.awareness.getLocalState();
      if (handle.status.scope === 'pending' || state === null) continue;
      handle.awareness.setLocalState(state);
      return true;
    }
    return false;
  }
}
