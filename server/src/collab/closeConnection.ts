// Closing one document connection from the server with an AppError's close code and reason: the whole socket
// when this is its only authenticated document, else just this document (other documents on a multiplexed
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
