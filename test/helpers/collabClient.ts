// Real Hocuspocus and y-websocket clients against a test server, with the events tests wait for.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { TestServer } from './server.ts';
import { waitFor } from './waitFor.ts';

export interface CollabClient {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  closes: { code: number; reason: string }[];
  denied: string[];
  scope: () => string | undefined;
  synced(): Promise<void>;
  /** Resolves when every local change has been acknowledged by the server. */
  saved(): Promise<void>;
  destroy(): void;
}

export function connectCollab(
  server: TestServer,
  name: string,
  token: string | (() => Promise<string>),
  socket?: HocuspocusProviderWebsocket,
  /** The client's document (default: a new one); pass one back to reconnect under the same client id. */
  doc: Y.Doc = new Y.Doc(),
): CollabClient {
  const closes: { code: number; reason: string }[] = [];
  const denied: string[] = [];
  const ownSocket = !socket;
  const ws =
    socket ??
    new HocuspocusProviderWebsocket({
      url: `${server.wsUrl}/collab`,
      // Tests assert on the first close; reconnecting would only add noise.
      maxAttempts: 1,
      onClose: ({ event }) => closes.push({ code: event.code, reason: event.reason }),
    });
  const provider = new HocuspocusProvider({
    websocketProvider: ws,
    name,
    document: doc,
    token,
    onAuthenticationFailed: ({ reason }) => denied.push(reason),
  });
  // A provider given a websocket does not attach itself.
  provider.attach();
  return {
    doc,
    provider,
    socket: ws,
    closes,
    denied,
    scope: () => provider.authorizedScope,
    synced: () =>
      waitFor(() => provider.isSynced, { timeoutMs: 5000, message: `${name} synced` }).then(() => undefined),
    saved: () =>
      waitFor(() => provider.unsyncedChanges === 0, { message: `${name} saved` }).then(() => undefined),
    destroy() {
      provider.destroy();
      if (ownSocket) ws.destroy();
    },
  };
}

export interface YjsClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  destroy(): void;
}

export function connectYjs(server: TestServer, name: string, token: string): YjsClient {
  const doc = new Y.Doc();
  const closes: { code: number; reason: string }[] = [];
  const provider = new WebsocketProvider(`${server.wsUrl}/yjs`, name, doc, {
    params: { token },
    maxBackoffTime: 60_000,
  });
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
    // Keep tests deterministic: no automatic reconnect after a refusal.
    if (event && event.code >= 4000) provider.shouldConnect = false;
  });
  return {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Collects the clients a test opens so one `destroyAll()` in afterEach closes them. */
export function clientTracker() {
  const clients: { destroy(): void }[] = [];
  return {
    track<T extends { destroy(): void }>(client: T): T {
      clients.push(client);
      return client;
    },
    destroyAll() {
      for (const c of clients.splice(0)) c.destroy();
    },
  };
}
