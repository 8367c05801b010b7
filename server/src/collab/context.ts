// What a collaboration connection carries: the verified identity, and the socket it arrived on.
import type { DocumentName, UserIdentity } from '@tandem/shared';
import type { WebSocket } from 'ws';
import type { Ticket } from '../net/Admission.ts';
import type { PresenceRoutes } from './presence/Presence.ts';
import type { ReopenOrder } from './reopenOrder.ts';
import type { SocketRoutes } from './socketRoutes.ts';
import type { StoredStateRequests } from './storedStateAnswers.ts';

/** Shared by every document multiplexed on one WebSocket. */
export interface SocketState {
  ws: WebSocket;
  endpoint: 'collab' | 'yjs';
  /** Documents on this socket that passed authentication. */
  authenticatedDocs: number;
  /** Closes the socket unless a document is authenticated first (cleared when one is: auth extension). */
  authDeadline?: ReturnType<typeof setTimeout> | undefined;
  /** The socket's established connections, known by their address (socketRoutes.ts). */
  routes?: SocketRoutes | undefined;
  /** Awareness frames handled by Tandem's presence path (presence/Presence.ts). */
  presence?: PresenceRoutes | undefined;
  /** The socket's admission (client address, per-user cap, shared message budgets). */
  ticket?: Ticket | undefined;
  /**
   * Addresses of documents closed on this socket because an update was refused: frames still in flight for
   * them are dropped until the client authenticates the document again (updateRefusal.ts).
   */
  refusedAddresses?: Set<string> | undefined;
  /** Frames for a document the client is closing wait for it to close (reopenOrder.ts). */
  reopen?: ReopenOrder | undefined;
  /** Empty sync steps 1 waiting for a document to load, answered from its stored state (storedStateAnswers.ts). */
  storedStates?: StoredStateRequests | undefined;
}

/** Hocuspocus connection context: `socket` from the upgrade, the rest from onAuthenticate. */
export interface CollabContext {
  socket: SocketState;
  user?: UserIdentity;
  doc?: DocumentName;
  /** Token expiry, seconds since the epoch. */
  exp?: number;
}

/** The transaction origin for server-side writes (restore, chat API): attributes the change to a user. */
export interface ServerOrigin {
  source: 'local';
  context: { user?: { id: string } };
}

export function userIdOfOrigin(origin: unknown): string | null {
  if (!origin || typeof origin !== 'object' || !('source' in origin)) return null;
  const o = origin as { source: string; connection?: { context?: CollabContext }; context?: CollabContext };
  if (o.source === 'connection') return o.connection?.context?.user?.id ?? null;
  if (o.source === 'local') return o.context?.user?.id ?? null;
  return null;
}
