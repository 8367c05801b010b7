// Holds a socket's acknowledgements (SyncStatus messages) until the updates applied so far are durable.
// Hocuspocus and the direct path both acknowledge an update right after applying it; on SQLite it is durable
// by then (the journal write returned), on PostgreSQL only once its group commit lands. Gating the socket's
// outgoing acks covers both paths at one place; every other message goes out at once.
import { MessageType } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';

/** An ack is the document address (a short string), the type and one flag: never longer than this. */
const MAX_ACK_BYTES = 512;

export function holdAcksUntilDurable(ws: WebSocket, whenDurable: () => Promise<void> | null): void {
  const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
  ws.send = ((data: unknown, ...rest: unknown[]) => {
    const durable = whenDurable();
    if (durable && isAck(data)) {
      void durable.then(() => {
        if (ws.readyState === ws.OPEN) send(data, ...rest);
      });
      return;
    }
    send(data, ...rest);
  }) as typeof ws.send;
}

export function isAck(data: unknown): boolean {
  if (!(data instanceof Uint8Array) || data.length > MAX_ACK_BYTES) return false;
  try {
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    return decoding.readVarUint(decoder) === MessageType.SyncStatus;
  } catch {
    return false;
  }
}
