// Tandem's presence path: inbound awareness frames of established connections are read once (no scratch
// Y.Doc), filtered by presencePolicy.ts and merged per document by PresenceRoom; frames Hocuspocus handles itself
// (those that arrive before a connection is routed) go through the same policy in its beforeHandleAwareness hook.
import type {
  beforeHandleAwarenessPayload,
  Connection,
  connectedPayload,
  Document,
  Extension,
} from '@hocuspocus/server';
import { MessageType } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { AppError } from '../../errors.ts';
import type { CollabContext } from '../context.ts';
import { malformedAwareness, readAwarenessUpdate } from './awarenessUpdate.ts';
import { type PresenceCounts, type PresenceOptions, PresenceRoom } from './PresenceRoom.ts';

export class Presence {
  private readonly rooms = new Map<Document, PresenceRoom>();

  constructor(
    private readonly options: Readonly<PresenceOptions>,
    private readonly counts: PresenceCounts,
  ) {}

  /** Starts routing `connection`'s awareness frames through this path; its states go when it closes. */
  track(connection: Connection<CollabContext>, routes: PresenceRoutes | undefined): void {
    this.roomOf(connection.document).join(connection);
    routes?.add(connection);
  }

  /** Handles an awareness update of a routed connection; a refusal when it is malformed. */
  handleUpdate(connection: Connection<CollabContext>, update: Uint8Array): AppError | undefined {
    const entries = readAwarenessUpdate(update);
    if (entries instanceof Error) return entries;
    return this.roomOf(connection.document).handleEntries(connection, entries);
  }

  /** Sends every document's pending presence now (shutdown). */
  flushAll(): void {
    for (const room of this.rooms.values()) room.flush();
  }

  roomOf(document: Document): PresenceRoom {
    let room = this.rooms.get(document);
    if (!room) {
      const created = new PresenceRoom(document, this.options, this.counts, () => {
        if (this.rooms.get(document) === created) this.rooms.delete(document);
      });
      room = created;
      this.rooms.set(document, room);
    }
    return room;
  }

  /** The extension that routes established connections here and applies the policy on Hocuspocus's path. */
  extension(): Extension {
    return new PresenceExtension(this);
  }
}

class PresenceExtension implements Extension {
  /** Before other awareness hooks: they see only what the connection may set. */
  priority = 900;

  constructor(private readonly presence: Presence) {}

  async connected({ connection, context }: connectedPayload<CollabContext>): Promise<void> {
    this.presence.track(connection as Connection<CollabContext>, context.socket?.presence);
  }

  async beforeHandleAwareness(data: beforeHandleAwarenessPayload<CollabContext>): Promise<void> {
    const { connection, states } = data;
    // No connection: a server-side write (DirectConnection), trusted as it is.
    if (!connection) return;
    this.presence.roomOf(data.document).filterStates(connection, states);
  }
}

interface Route {
  /** How an awareness frame for this connection starts: address, Awareness. */
  head: Uint8Array;
  connection: Connection<CollabContext>;
}

/** An awareness frame matched to its connection. */
export interface AwarenessFrame {
  connection: Connection<CollabContext>;
  update: Uint8Array;
}

/** The routed connections of one WebSocket (a Hocuspocus-protocol socket can carry several documents). */
export class PresenceRoutes {
  private routes: Route[] = [];

  add(connection: Connection<CollabContext>): void {
    if (this.routes.some((r) => r.connection === connection)) return;
    const head = encoding.createEncoder();
    encoding.writeVarString(head, connection.messageAddress);
    encoding.writeVarUint(head, MessageType.Awareness);
    const route: Route = { head: encoding.toUint8Array(head), connection };
    this.routes.push(route);
    connection.onClose(() => {
      this.routes = this.routes.filter((r) => r !== route);
    });
  }

  /** The frame's connection and update when it is an awareness frame of a routed connection; else undefined. */
  match(frame: Uint8Array): AwarenessFrame | AppError | undefined {
    for (const route of this.routes) {
      if (!startsWith(frame, route.head)) continue;
      const decoder = decoding.createDecoder(frame);
      decoder.pos = route.head.length;
      try {
        return { connection: route.connection, update: decoding.readVarUint8Array(decoder) };
      } catch {
        return malformedAwareness('truncated frame');
      }
    }
    return undefined;
  }
}

function startsWith(frame: Uint8Array, head: Uint8Array): boolean {
  if (frame.length <= head.length) return false;
  for (let i = 0; i < head.length; i++) if (frame[i] !== head[i]) return false;
  return true;
}
