// Every place Tandem reaches past the public API of Hocuspocus or ws, behind one door. Each reach is the price
// of a measured speed-up or a workaround for a library bug (see the callers); each has a test pinned to the
// installed versions (test/unit/collab/libraryInternals.test.ts) so an upgrade that moves one fails one test
// with a clear message instead of silently changing behaviour.
import { readFileSync } from 'node:fs';
import { findPackageJSON } from 'node:module';
import { type Connection, type Document, MessageReceiver } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import * as wsModule from 'ws';
import { messageYjsSyncStep1 } from 'y-protocols/sync';

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

/**
 * Gives a Hocuspocus client connection a flat copy of its `socketId`. Hocuspocus names each client connection
 * with `crypto.randomUUID()`, which Node returns as a chain of about a dozen concatenated strings (~450 bytes,
 * kept as long as the socket is open and shared by its document connections); the flat copy holds the same 36
 * characters in ~60 bytes. Call it right after `handleConnection`, before any document connection copies the id.
 * If a later version renames the field, nothing changes.
 */
export function flattenSocketId(client: object): void {
  const named = client as { socketId?: unknown };
  if (typeof named.socketId === 'string')
    named.socketId = Buffer.from(named.socketId, 'latin1').toString('latin1');
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

/** The version of an installed package, read from its package.json (not every package exports it). */
export function installedVersion(name: keyof typeof PINNED_VERSIONS): string {
  const file = findPackageJSON(name, import.meta.url);
  if (!file) throw new Error(`cannot find the package.json of ${name}`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Hocuspocus's private sync-message reader (MessageReceiver.prototype.readSyncMessage, 4.7.0). */
type ReadSyncMessage = (
  this: unknown,
  message: { decoder: decoding.Decoder },
  document: Document,
  connection?: Connection,
  reply?: unknown,
  requestFirstSync?: boolean,
) => Promise<number>;

/** Answers the sync step 1 of a connection that has nothing yet, for the documents it owns. */
export interface FullSyncAnswerer {
  owns(document: Document): boolean;
  /** Must send everything Hocuspocus would: the server's sync step 1, then a step 2 with the whole state. */
  answer(connection: Connection, document: Document): void;
}

const answerers = new Set<FullSyncAnswerer>();
let readSyncMessagePatched = false;

/** A state vector naming no client: the sender has nothing yet and needs the whole document. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0;
}

/**
 * Hands a connection's sync step 1 with an empty state vector to `answerer` when it owns the document, until
 * the returned function is called. Hocuspocus has no hook that can answer a sync message in its place, so this
 * wraps its private `MessageReceiver.prototype.readSyncMessage` (once per process; several servers in one
 * process each register their own answerer). The wrapper covers frames Hocuspocus queued while a connection
 * authenticated as well as later ones, runs the connection's `beforeSync` hook chain first as Hocuspocus does,
 * and leaves every other message (and a step 1 answered through a reply callback, i.e. server-internal
 * connections) to Hocuspocus's own code. Throws when the installed Hocuspocus is not the pinned version or the
 * method is gone, so a moved internal stops the server at startup instead of silently changing behaviour.
 */
export function interceptFullSyncs(answerer: FullSyncAnswerer): () => void {
  const version = installedVersion('@hocuspocus/server');
  if (version !== PINNED_VERSIONS['@hocuspocus/server'])
    throw new Error(
      `@hocuspocus/server is ${version}, but server/src/collab/libraryInternals.ts was written for ` +
        `${PINNED_VERSIONS['@hocuspocus/server']}: re-check interceptFullSyncs against its MessageReceiver`,
    );
  const proto = MessageReceiver.prototype as unknown as { readSyncMessage?: ReadSyncMessage };
  const original = proto.readSyncMessage;
  if (typeof original !== 'function')
    throw new Error('@hocuspocus/server MessageReceiver.prototype.readSyncMessage is gone');
  if (!readSyncMessagePatched) {
    readSyncMessagePatched = true;
    proto.readSyncMessage = async function (message, document, connection, reply, requestFirstSync) {
      const owner = connection && reply === undefined ? ownerOf(document) : undefined;
      if (connection && owner) {
        const { decoder } = message;
        const start = decoder.pos;
        const stateVector = readStepOneStateVector(decoder);
        if (stateVector && isEmptyStateVector(stateVector)) {
          await connection.callbacks.beforeSync(connection, {
            type: messageYjsSyncStep1,
            payload: stateVector,
          });
          owner.answer(connection, document);
          return messageYjsSyncStep1;
        }
        decoder.pos = start;
      }
      return original.call(this, message, document, connection, reply, requestFirstSync);
    };
  }
  answerers.add(answerer);
  return () => void answerers.delete(answerer);
}

function ownerOf(document: Document): FullSyncAnswerer | undefined {
  for (const answerer of answerers) if (answerer.owns(document)) return answerer;
  return undefined;
}

/** The state vector of a sync step 1; undefined for any other (or a malformed) sync message. */
function readStepOneStateVector(decoder: decoding.Decoder): Uint8Array | undefined {
  try {
    return decoding.readVarUint(decoder) === messageYjsSyncStep1
      ? decoding.readVarUint8Array(decoder)
      : undefined;
  } catch {
    return undefined;
  }
}
