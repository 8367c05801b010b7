// Answers the client that opens a stored document with the stored bytes, before the server has built its Y.Doc
// from them (issue #19, cold load). Integrating a large stored state into a Y.Doc is the slow part of loading
// (about 0.4 s for a 1.5 MB document of many small items); the client that asked for everything (an empty
// sync step 1) gets those same bytes as its sync step 2 first, and the server integrates them while they
// travel. The later answer to that step 1 (SharedFullStates.answer) then sends only the server's step 1 and
// what changed between the stored state and the loaded document (usually nothing).
//
// Safe because the connection is authenticated by then (Hocuspocus loads a document for a connection only after
// onAuthenticate), the bytes are the durable stored state the document is built from, and nothing else can
// read or change the document before it is loaded. Only addresses without a session suffix are answered early
// (a session-aware provider's address differs from the document name); a stored state that turns out not to be
// fully integrable is still the client's to hold pending, as it would be the server's.
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import * as Y from 'yjs';
import type { CollabContext, SocketState } from './context.ts';
import { readFrameHead } from './frameHead.ts';
import { stepTwoMessage } from './fullStateMessage.ts';
import { isEmptyStateVector } from './libraryInternals.ts';

/** Addresses with an unanswered empty sync step 1 kept per socket at most (the rest take the usual path). */
const MAX_REQUESTS_PER_SOCKET = 64;
/** Frames longer than this are no empty sync step 1 (an address is at most a few hundred bytes). */
const MAX_STEP_ONE_BYTES = 1024;
/** How long loading waits for the early answer to reach the kernel before it integrates the state anyway. */
export const EARLY_ANSWER_DRAIN_MS = 250;

/**
 * Per socket: who asked for everything, and whom the stored state was sent to (with its state vector). Each
 * table only while it holds something, and the whole only while either does: most sockets are past it in
 * their first second.
 */
export interface StoredStateRequests {
  requested?: Set<string> | undefined;
  sent?: Map<string, Uint8Array | undefined> | undefined;
}

/**
 * Notes a frame the socket hands to Hocuspocus: an empty sync step 1 marks its address as asking for the whole
 * document, a non-empty one clears it.
 */
export function noteSyncRequest(socket: SocketState, frame: Uint8Array): void {
  if (frame.length > MAX_STEP_ONE_BYTES) return;
  const address = stepOneAddress(frame);
  if (address === undefined) return;
  if (!address.empty) {
    socket.storedStates?.requested?.delete(address.address);
    tidy(socket);
    return;
  }
  socket.storedStates ??= {};
  const requests = socket.storedStates;
  requests.requested ??= new Set();
  if (requests.requested.size < MAX_REQUESTS_PER_SOCKET) requests.requested.add(address.address);
}

/** Drops the socket's tables that hold nothing. */
function tidy(socket: SocketState): void {
  const requests = socket.storedStates;
  if (!requests) return;
  if (requests.requested?.size === 0) requests.requested = undefined;
  if (requests.sent?.size === 0) requests.sent = undefined;
  if (!requests.requested && !requests.sent) socket.storedStates = undefined;
}

/**
 * Sends `state` (the stored state `documentName` is about to be built from) to the loading connection when it
 * asked for everything, and waits until the bytes are with the kernel (at most EARLY_ANSWER_DRAIN_MS). Returns
 * whether it sent them.
 */
export async function answerBeforeLoad(
  context: Partial<CollabContext> | undefined,
  documentName: string,
  state: Uint8Array,
): Promise<boolean> {
  const socket = context?.socket;
  const requests = socket?.storedStates;
  if (!socket || !requests?.requested?.delete(documentName)) return false;
  const sending =
    socket.ws.readyState === socket.ws.OPEN && (requests.sent?.size ?? 0) < MAX_REQUESTS_PER_SOCKET;
  if (sending) {
    requests.sent ??= new Map();
    requests.sent.set(documentName, undefined);
  }
  tidy(socket);
  if (!sending) return false;
  const { message } = stepTwoMessage(documentName, state);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, EARLY_ANSWER_DRAIN_MS);
    socket.ws.send(message, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return true;
}

/** Once the document is built: what the early answer's receiver has, for the diff sent with the real answer. */
export function noteLoaded(
  context: Partial<CollabContext> | undefined,
  documentName: string,
  doc: Y.Doc,
): void {
  const sent = context?.socket?.storedStates?.sent;
  if (sent?.has(documentName)) sent.set(documentName, Y.encodeStateVector(doc));
}

/**
 * The state vector of what the socket was sent early for `address`, taken (one use); undefined when it was sent
 * nothing early. Called when the server answers the address's sync step 1: its request is over either way.
 */
export function takeSentState(socket: SocketState | undefined, address: string): Uint8Array | undefined {
  const requests = socket?.storedStates;
  if (!socket || !requests) return undefined;
  requests.requested?.delete(address);
  const stateVector = requests.sent?.get(address);
  requests.sent?.delete(address);
  tidy(socket);
  return stateVector;
}

/** The address of a sync step 1 frame, and whether its state vector is empty; undefined for any other frame. */
function stepOneAddress(frame: Uint8Array): { address: string; empty: boolean } | undefined {
  const head = readFrameHead(frame);
  if (head?.syncType !== messageYjsSyncStep1) return undefined;
  try {
    const decoder = decoding.createDecoder(frame);
    decoder.pos = head.bodyAt;
    const stateVector = decoding.readVarUint8Array(decoder);
    return { address: head.address, empty: decoder.pos === frame.length && isEmptyStateVector(stateVector) };
  } catch {
    return undefined;
  }
}
