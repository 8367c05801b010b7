// The server's message size limit (MAX_MESSAGE_BYTES, told in a `limits` notice) as the client applies it: the
// size of the message that carries an update, the refusal of a change too large to send, and which documents a
// socket closed with 1009 (a frame over the server's hard cap) is blamed on.
import type { UpdateRefusal } from '@tandem/shared';

const utf8 = new TextEncoder();

/** Bytes of the Hocuspocus message carrying a Yjs update of `updateBytes` for `address`: what the server measures. */
export function updateMessageBytes(address: string, updateBytes: number): number {
  const addressBytes = utf8.encode(address).byteLength;
  // Address (length + bytes), message type Sync, sync type Update, update (length + bytes).
  return varUintBytes(addressBytes) + addressBytes + 2 + varUintBytes(updateBytes) + updateBytes;
}

/** The refusal of a local change whose message would be over the limit (never sent). */
export function tooLargeToSend(messageBytes: number, maxMessageBytes: number): UpdateRefusal {
  return {
    code: 'message_too_large',
    reason: `this change is ${messageBytes} bytes; one change may be at most ${maxMessageBytes} bytes`,
  };
}

/** The refusal of the documents blamed for a socket the server closed with 1009. */
export const CLOSED_AS_TOO_LARGE: UpdateRefusal = {
  code: 'message_too_large',
  reason: 'the server closed the connection for a message over its size limit',
};

export interface PendingSize {
  /** The largest local update sent or queued since the server last acknowledged all of this document's changes. */
  largestPendingUpdateBytes: number;
  /** The server's limit, once told (null before). */
  maxMessageBytes: number | null;
  /** Local changes not yet acknowledged. */
  unsynced: number;
}

/**
 * The documents a 1009 close is blamed on: those with a pending update over the limit they were told; without
 * one (no limit told yet), the one with the largest pending update; without any, every document with
 * unacknowledged changes (only these can have sent anything the server has not taken).
 */
export function blameForTooLarge<T extends PendingSize>(docs: readonly T[]): T[] {
  const over = docs.filter(
    (d) => d.maxMessageBytes !== null && d.largestPendingUpdateBytes > d.maxMessageBytes,
  );
  if (over.length > 0) return over;
  const largest = docs.reduce<T | null>(
    (best, d) => (d.largestPendingUpdateBytes > (best?.largestPendingUpdateBytes ?? 0) ? d : best),
    null,
  );
  if (largest) return [largest];
  return docs.filter((d) => d.unsynced > 0);
}

function varUintBytes(n: number): number {
  let bytes = 1;
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) bytes++;
  return bytes;
}
