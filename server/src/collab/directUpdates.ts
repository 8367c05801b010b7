// Applies a client's Yjs update straight to its document when that is all Hocuspocus would do with it.
//
// For an established, writable connection with nothing in progress, Hocuspocus handles a sync update by
// decoding the document address twice, running the beforeHandleMessage / beforeSync / afterHandleMessage hook
// chains (empty in Tandem) through four async functions, applying the update with the connection as origin and
// acknowledging it with a SyncStatus message. The direct path does exactly the apply and the acknowledgement,
// recognising the frame by its address bytes, after the document's UpdateGate has admitted the update (the
// check Hocuspocus's path runs in UpdateGateExtension.beforeSync). Everything an applied update sets off (the update log, onChange,
// the store debounce, the broadcast) runs in the document's update listeners as before. Any other frame, and
// every frame of a read-only or busy connection, goes through Hocuspocus.
import type { connectedPayload, Extension } from '@hocuspocus/server';
import { MessageType } from '@hocuspocus/server';
import type { UpdateRefusal } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import { messageYjsUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import type { CollabContext } from './context.ts';
import { runsHook } from './extensionHooks.ts';
import { UpdateGateExtension } from './extensions/updateGate.ts';
import { isConnectionIdle } from './libraryInternals.ts';
import type { Route } from './socketRoutes.ts';
import type { UpdateGates } from './UpdateGate.ts';

/**
 * Per-message hooks the direct path does not run: while any extension has one, nothing is routed. The update
 * gate's beforeSync is the exception: the direct path runs that check itself.
 */
const MESSAGE_HOOKS = ['beforeHandleMessage', 'beforeSync', 'afterHandleMessage'] as const;

/** What became of a routed update. */
export type DirectOutcome =
  | { kind: 'applied' }
  | { kind: 'malformed' }
  | { kind: 'refused'; refusal: UpdateRefusal };
const APPLIED: DirectOutcome = { kind: 'applied' };
const MALFORMED: DirectOutcome = { kind: 'malformed' };

/** A sync update frame matched to its connection, not applied yet. */
export interface DirectUpdate {
  route: DirectRoute;
  update: Uint8Array;
}

/** A route whose sync updates take the direct path. */
type DirectRoute = Route & { gate: NonNullable<Route['gate']> };

/**
 * The frame's update when it is a sync update for a connection routed here (`route`: the socket's route the
 * frame matched, if any) that Hocuspocus would only apply and acknowledge; undefined when Hocuspocus must
 * handle the frame (malformed frames included: the frame guard refuses those with the same reasons as on any
 * other path).
 */
export function matchDirect(frame: Uint8Array, route: Route | undefined): DirectUpdate | undefined {
  if (!route?.gate) return undefined;
  const at = route.addressBytes;
  if (route.typeOfMatched(frame) !== MessageType.Sync || frame[at + 1] !== messageYjsUpdate) return undefined;
  if (route.connection.readOnly || !isConnectionIdle(route.connection)) return undefined;
  const decoder = decoding.createDecoder(frame);
  decoder.pos = at + 2;
  try {
    const update = decoding.readVarUint8Array(decoder);
    // An empty update is left to the frame guard, which refuses it (it is the oversize stand-in's).
    return decoder.pos === frame.length && update.byteLength > 0
      ? { route: route as DirectRoute, update }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies the update as Hocuspocus would (the connection as transaction origin) and acknowledges it, once the
 * gate has admitted it; a refused update is neither applied nor acknowledged (the caller closes the
 * connection). Malformed when it does not decode: the gate decodes the whole update first, so nothing of it
 * has been applied then.
 */
export function applyDirect({ route, update }: DirectUpdate): DirectOutcome {
  const { connection } = route;
  try {
    const refusal = route.gate.admit(update, route.userId);
    if (refusal) return { kind: 'refused', refusal };
    Y.applyUpdate(connection.document, update, { source: 'connection', connection });
  } catch {
    return MALFORMED;
  }
  connection.send(route.ack);
  return APPLIED;
}

/** Sends each connection's sync updates the direct path once Hocuspocus has established it. */
export class DirectUpdatesExtension implements Extension {
  constructor(private readonly gates: UpdateGates) {}

  async connected({ connection, context, instance }: connectedPayload<CollabContext>): Promise<void> {
    const gate = this.gates.get(connection.document);
    const userId = context.user?.id;
    const routes = context.socket?.routes;
    if (!routes?.direct || !gate || !userId) return;
    if (runsHook(instance, MESSAGE_HOOKS, (extension) => extension instanceof UpdateGateExtension)) return;
    const route = routes.get(connection);
    if (!route) return;
    route.gate = gate;
    route.userId = userId;
  }
}
