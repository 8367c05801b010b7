// Every place the browser client reaches past the public API of @hocuspocus/provider, behind one door. Each
// reach is pinned to the installed version by test/unit/client/libraryInternals.test.ts, so an upgrade that
// moves one fails one test with a clear message instead of silently bringing back what it prevents.
import type { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

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

/** Hocuspocus's MessageType.Sync and y-protocols' messageYjsUpdate: a queued document update. */
const SYNC_MESSAGE = 0;
const SYNC_UPDATE = 2;

/**
 * Merges the document updates for `address` that the socket queued while disconnected into as few messages as
 * possible, each carrying at most `maxUpdateBytes` of updates; returns how many messages went. Called when the
 * socket reconnects, before it sends its queue: an hour offline is thousands of keystrokes, each its own
 * message, and the server's flood limit (RATE_LIMIT_BURST) would close the socket for them. Only runs of
 * consecutive updates are merged, so the order against the document's other messages stays as it was.
 */
export function coalesceQueuedUpdates(
  socket: HocuspocusProviderWebsocket,
  address: string,
  maxUpdateBytes: number,
): number {
  const holder = socket as unknown as { messageQueue?: unknown };
  if (!Array.isArray(holder.messageQueue)) return 0;
  const out: unknown[] = [];
  let run: Uint8Array[] = [];
  let runBytes = 0;
  const flush = () => {
    if (run.length === 1) out.push(updateMessage(address, run[0]!));
    else if (run.length > 1) out.push(updateMessage(address, Y.mergeUpdates(run)));
    run = [];
    runBytes = 0;
  };
  for (const message of holder.messageQueue) {
    const update = queuedUpdate(message, address);
    if (!update) {
      flush();
      out.push(message);
      continue;
    }
    // The merged update is never larger than the updates it merges.
    if (run.length > 0 && runBytes + update.byteLength > maxUpdateBytes) flush();
    run.push(update);
    runBytes += update.byteLength;
  }
  flush();
  const removed = holder.messageQueue.length - out.length;
  holder.messageQueue = out;
  return removed;
}

function queuedUpdate(message: unknown, address: string): Uint8Array | null {
  if (!(message instanceof Uint8Array)) return null;
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarString(decoder) !== address) return null;
    if (decoding.readVarUint(decoder) !== SYNC_MESSAGE) return null;
    if (decoding.readVarUint(decoder) !== SYNC_UPDATE) return null;
    return decoding.readVarUint8Array(decoder);
  } catch {
    return null;
  }
}

function updateMessage(address: string, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  encoding.writeVarUint(encoder, SYNC_MESSAGE);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
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
