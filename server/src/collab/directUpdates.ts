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
import type { Connection, connectedPayload, Extension } from '@hocuspocus/server';
import { MessageType, OutgoingMessage } from '@hocuspocus/server';
import type { UpdateRefusal } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageYjsUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import type { CollabContext } from './context.ts';
import { runsHook } from './extensionHooks.ts';
import { UpdateGateExtension } from './extensions/updateGate.ts';
import { isConnectionIdle } from './libraryInternals.ts';
import type { UpdateGate, UpdateGates } from './UpdateGate.ts';

/**
 * Per-message hooks the direct path does not run: while any extension has one, nothing is routed. The update
 * gate's beforeSync is the exception: the direct path runs that check itself.
 */
const MESSAGE_HOOKS = ['beforeHandleMessage', 'beforeSync', 'afterHandleMessage'] as const;

interface Route {
  /** How a sync update frame for this connection starts: address, Sync, Update. */
  head: Uint8Array;
  ack: Uint8Array;
  connection: Connection;
  gate: Pick<UpdateGate, 'admit'>;
  userId: string;
}

/** What became of a routed update. */
export type DirectOutcome =
  | { kind: 'applied' }
  | { kind: 'malformed' }
  | { kind: 'refused'; refusal: UpdateRefusal };
const APPLIED: DirectOutcome = { kind: 'applied' };
const MALFORMED: DirectOutcome = { kind: 'malformed' };

/** A sync update frame matched to its connection, not applied yet. */
export interface DirectUpdate {
  route: Route;
  update: Uint8Array;
}

/** The routes of one WebSocket (a Hocuspocus-protocol socket can carry several documents). */
export class DirectUpdates {
  private routes: Route[] = [];

  /** Routes `connection`'s sync updates (from `userId`, through `gate`) directly from now on, until it closes. */
  add(connection: Connection, gate: Pick<UpdateGate, 'admit'>, userId: string): void {
    const address = connection.messageAddress;
    const head = encoding.createEncoder();
    encoding.writeVarString(head, address);
    encoding.writeVarUint(head, MessageType.Sync);
    encoding.writeVarUint(head, messageYjsUpdate);
    const route: Route = {
      head: encoding.toUint8Array(head),
      ack: new OutgoingMessage(address).writeSyncStatus(true).toUint8Array(),
      connection,
      gate,
      userId,
    };
    // A copy of exact length: push would give a socket's usual one or two routes room for seventeen.
    this.routes = this.routes.concat(route);
    connection.onClose(() => {
      this.routes = this.routes.filter((r) => r !== route);
    });
  }

  /**
   * The frame's update and route when it is a sync update for a routed connection that Hocuspocus would only
   * apply and acknowledge; undefined when Hocuspocus must handle the frame (malformed frames included: the
   * frame guard refuses those with the same reasons as on any other path).
   */
  match(frame: Uint8Array): DirectUpdate | undefined {
    for (const route of this.routes) {
      if (!startsWith(frame, route.head)) continue;
      if (route.connection.readOnly || !isConnectionIdle(route.connection)) return undefined;
      const decoder = decoding.createDecoder(frame);
      decoder.pos = route.head.length;
      try {
        const update = decoding.readVarUint8Array(decoder);
        // An empty update is left to the frame guard, which refuses it (it is the oversize stand-in's).
        return decoder.pos === frame.length && update.byteLength > 0 ? { route, update } : undefined;
      } catch {
        return undefined;
      }
    }
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

/** Adds each connection to its socket's routes once Hocuspocus has established it. */
export class DirectUpdatesExtension implements Extension {
  constructor(private readonly gates: UpdateGates) {}

  async connected({ connection, context, instance }: connectedPayload<CollabContext>): Promise<void> {
    const gate = this.gates.get(connection.document);
    const userId = context.user?.id;
    if (!context.socket?.direct || !gate || !userId) return;
    if (runsHook(instance, MESSAGE_HOOKS, (extension) => extension instanceof UpdateGateExtension)) return;
    context.socket.direct.add(connection, gate, userId);
  }
}

function startsWith(frame: Uint8Array, head: Uint8Array): boolean {
  if (frame.length <= head.length) return false;
  for (let i = 0; i < head.length; i++) if (frame[i] !== head[i]) return false;
  return true;
}
