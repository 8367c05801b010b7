// Closing one document connection from the server with an AppError's close code and reason: the whole socket
// when this is its only authenticated document, else just this document (other documents on a multiplexed
// socket stay open).
import type { Connection } from '@hocuspocus/server';
import type { CollabContext } from '../collab/context.ts';
import type { AppError } from '../errors.ts';

export function closeConnection(connection: Connection<CollabContext>, error: AppError): void {
  const socket = connection.context.socket;
  if (socket && socket.authenticatedDocs <= 1) socket.ws.close(error.closeCode, error.closeReason);
  connection.close({ code: error.closeCode, reason: error.closeReason });
}
