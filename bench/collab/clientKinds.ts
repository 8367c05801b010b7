// One simulated user per call: a Y.Doc on its own WebSocket, through the client library each server
// expects (HocuspocusProvider for Tandem and stock Hocuspocus, WebsocketProvider for y-websocket).
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ServerKind } from './options.ts';

export interface BenchClient {
  doc: Y.Doc;
  synced: Promise<void>;
  /** Why the connection was refused or closed, if it was. */
  closeReason(): string | undefined;
  destroy(): void;
}

export interface ClientTarget {
  kind: ServerKind;
  /** `ws://127.0.0.1:<port>` */
  wsOrigin: string;
  documentName: string;
  /** Tandem only: the client's JWT. */
  token?: string;
  /** Tandem only: sent as `/collab?class=`, which a cluster node routes on (forwarding to the class's owner). */
  classId?: string;
  user: { name: string; color: string };
}

export function connectClient(target: ClientTarget): BenchClient {
  switch (target.kind) {
    case 'tandem':
    case 'tandem-patched':
      return connectHocuspocus(
        `${target.wsOrigin}/collab${target.classId ? `?class=${encodeURIComponent(target.classId)}` : ''}`,
        target,
      );
    case 'hocuspocus':
      return connectHocuspocus(target.wsOrigin, target);
    case 'y-websocket':
      return connectYWebsocket(target);
  }
}

function connectHocuspocus(url: string, target: ClientTarget): BenchClient {
  const doc = new Y.Doc();
  let closed: string | undefined;
  const socket = new HocuspocusProviderWebsocket({
    url,
    WebSocketPolyfill: WebSocket,
    // A refused or dropped client is a failed run, not something to paper over by reconnecting.
    maxAttempts: 1,
    onClose: ({ event }) => {
      closed ??= `closed ${event.code} ${event.reason}`;
    },
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: target.documentName,
    document: doc,
    token: target.token ?? null,
    onAuthenticationFailed: ({ reason }) => {
      closed ??= `authentication failed: ${reason}`;
    },
  });
  // A provider given a shared websocket does not attach itself.
  provider.attach();
  provider.setAwarenessField('user', target.user);
  const synced = new Promise<void>((resolve) => {
    if (provider.isSynced) return resolve();
    provider.on('synced', () => resolve());
  });
  return {
    doc,
    synced,
    closeReason: () => closed,
    destroy() {
      provider.destroy();
      socket.destroy();
      doc.destroy();
    },
  };
}

function connectYWebsocket(target: ClientTarget): BenchClient {
  const doc = new Y.Doc();
  let closed: string | undefined;
  const provider = new WebsocketProvider(target.wsOrigin, target.documentName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node has BroadcastChannel: without this, clients in one process would sync around the server.
    disableBc: true,
    params: target.token ? { token: target.token } : {},
  });
  provider.awareness.setLocalStateField('user', target.user);
  provider.on('connection-close', (event) => {
    if (event) closed ??= `closed ${event.code} ${event.reason}`;
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) return resolve();
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) resolve();
    });
  });
  return {
    doc,
    synced,
    closeReason: () => closed,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}
