// Every place Tandem reaches past the public API of Hocuspocus or ws, behind one door. Each reach is the price
// of a measured speed-up or a workaround for a library bug (see the callers); each has a test pinned to the
// installed versions (test/unit/collab/libraryInternals.test.ts) so an upgrade that moves one fails one test
// with a clear message instead of silently changing behaviour.
import type { Connection, Document } from '@hocuspocus/server';
import * as wsModule from 'ws';

/** The versions these reaches were written against; the pinned test compares them with what is installed. */
export const PINNED_VERSIONS = { '@hocuspocus/server': '4.7.0', ws: '8.23.0' } as const;

/**
 * True when Hocuspocus has no message of this connection in progress (its private `messageQueue` is empty), so
 * applying an update directly keeps the connection's message order. If a later version renames the queue this
 * answers false: every frame then takes Hocuspocus's regular path, slower but never wrong.
 */
export function isConnectionIdle(connection: Connection): boolean {
  const queue = (connection as unknown as { messageQueue?: unknown }).messageQueue;
  return Array.isArray(queue) && queue.length === 0;
}

/**
 * Notes inbound traffic on a Hocuspocus client connection for frames that bypass `handleMessage` (the direct
 * update path), so Hocuspocus's idle timeout does not close an active typist.
 */
export function markMessageReceived(client: { lastMessageReceivedAt: number }): void {
  client.lastMessageReceivedAt = Date.now();
}

type UpdateCallback = Document['callbacks']['onUpdate'];

/** The per-update callback Hocuspocus installed on a document (onChange hooks + store debounce). */
export function documentUpdateCallback(document: Document): UpdateCallback {
  return document.callbacks.onUpdate;
}

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
// `Sender.frame` is public in ws (lib/sender.js, `@public`) but missing from @types/ws.
const { Sender } = wsModule as unknown as { Sender?: { frame?(data: Buffer, o: FrameOptions): Buffer[] } };
const BINARY: FrameOptions = { fin: true, opcode: 0x02, mask: false, readOnly: true, rsv1: false };

/** The complete unmasked binary WebSocket frame (header + payload chunks) ws itself would write. */
export function wsBinaryFrame(payload: Buffer): Buffer[] {
  if (typeof Sender?.frame !== 'function') throw new Error('ws no longer exports Sender.frame');
  return Sender.frame(payload, BINARY);
}
