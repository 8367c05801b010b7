// Every place the browser client reaches past the public API of @hocuspocus/provider, behind one door. Each
// reach is pinned to the installed version by test/unit/client/libraryInternals.test.ts, so an upgrade that
// moves one fails one test with a clear message instead of silently bringing back what it prevents.
import type { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';

/** The provider version these reaches were written against; the pinned test compares it with what is installed. */
export const PINNED_PROVIDER_VERSION = '4.8.0';

/**
 * Removes the messages for `address` that the socket holds while disconnected (its private `messageQueue`,
 * sent in order once it reconnects); returns how many. A copy of a document refused while the socket was down
 * (DocHandle.refuse) must not reach the server after all: its queued update would be refused again on every
 * reconnect, and its queued close would reach the server after the fresh copy's authentication and close that.
 */
export function dropQueuedMessages(socket: HocuspocusProviderWebsocket, address: string): number {
  const holder = socket as unknown as { messageQueue?: unknown };
  if (!Array.isArray(holder.messageQueue)) return 0;
  const kept = holder.messageQueue.filter((message) => addressOf(message) !== address);
  const dropped = holder.messageQueue.length - kept.length;
  holder.messageQueue = kept;
  return dropped;
}

/**
 * Puts `gate` in front of the provider's handler of document updates (the function its constructor registered
 * on the Y.Doc, `boundDocumentUpdateHandler`): an update reaches the provider (to be sent, or queued while
 * offline) only when `gate` answers true. Returns the function that removes the gate (the provider's handler
 * goes with it; call it when the provider is destroyed).
 */
export function gateDocumentUpdates(
  provider: HocuspocusProvider,
  gate: (update: Uint8Array, origin: unknown) => boolean,
): () => void {
  const doc = provider.document;
  const handler = provider.boundDocumentUpdateHandler;
  const gated = (update: Uint8Array, origin: unknown) => {
    if (gate(update, origin)) handler(update, origin);
  };
  doc.off('update', handler);
  doc.on('update', gated);
  return () => doc.off('update', gated);
}

function addressOf(message: unknown): string | null {
  if (!(message instanceof Uint8Array)) return null;
  try {
    return decoding.readVarString(decoding.createDecoder(message));
  } catch {
    return null;
  }
}
