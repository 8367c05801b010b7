// Closing document connections from the server with an AppError's close code and reason: the whole socket
// when nothing else is authenticated on it, else just those documents (other documents on a multiplexed
// socket stay open).
import type { Connection } from '@hocuspocus/server';
import type { AppError } from '../errors.ts';
import type { CollabContext } from './context.ts';

export function closeConnection(connection: Connection<CollabContext>, error: AppError): void {
  closeSocketIfOnlyDocument(connection, error);
  connection.close({ code: error.closeCode, reason: error.closeReason });
}

/**
 * The socket half of closeConnection, for when Hocuspocus closes the document connection itself (a refused
 * token refresh). Deferred one turn so the document's own close message goes out first.
 */
export function closeSocketIfOnlyDocument(connection: Connection<CollabContext>, error: AppError): void {
  const socket = connection.context.socket;
  if (socket && socket.authenticatedDocs <= 1)
    setImmediate(() => socket.ws.close(error.closeCode, error.closeReason));
}

/** Closes several connections (one person's, say): each socket once when they are all it carries. */
export function closeConnections(connections: Connection<CollabContext>[], error: AppError): void {
  const bySocket = new Map<CollabContext['socket'] | undefined, Connection<CollabContext>[]>();
  for (const connection of connections) {
    const list = bySocket.get(connection.context.socket) ?? [];
    list.push(connection);
    bySocket.set(connection.context.socket, list);
  }
  for (const [socket, list] of bySocket) {
    if (socket && list.length >= socket.authenticatedDocs) {
      socket.ws.close(error.closeCode, error.closeReason);
      continue;
    }
    for (const connection of list) connection.close({ code: error.closeCode, reason: error.closeReason });
  }
}
