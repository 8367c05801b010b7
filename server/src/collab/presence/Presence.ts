// Tandem's presence path: every inbound awareness frame is read once (no scratch Y.Doc), filtered by
// presencePolicy.ts and merged per document by PresenceRoom. Frames for a document whose connection is still being
// set up are held and replayed once it is established, so no client awareness reaches Hocuspocus's own path.
import type {
  beforeHandleAwarenessPayload,
  Connection,
  connectedPayload,
  Document,
  Extension,
} from '@hocuspocus/server';
import { MessageType } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { AppError } from '../../errors.ts';
import type { CollabContext } from '../context.ts';
import type { Route, SocketRoutes } from '../socketRoutes.ts';
import { malformedAwareness, parseState, readAwarenessUpdate } from './awarenessUpdate.ts';
import type { OpenFileEvents } from './openFiles.ts';
import { type PresenceCounts, type PresenceOptions, PresenceRoom } from './PresenceRoom.ts';

export class Presence {
  private readonly rooms = new Map<Document, PresenceRoom>();

  constructor(
    private readonly options: Readonly<PresenceOptions>,
    private readonly counts: PresenceCounts,
    /** Told the files staff open in code documents (the class timeline's file switches). */
    private readonly openFiles?: OpenFileEvents,
  ) {}

  /** Starts routing `connection`'s awareness frames through this path; its states go when it closes. */
  track(connection: Connection<CollabContext>, routes: PresenceRoutes | undefined): void {
    this.roomOf(connection.document).join(connection);
    // Held frames were checked when they arrived: a refusal here cannot happen.
    for (const update of routes?.add(connection) ?? []) this.handleUpdate(connection, update);
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
      room = new PresenceRoom(document, this.options, this.counts, this, this.openFiles);
      this.rooms.set(document, room);
    }
    return room;
  }

  /** The last member of `room` has left. */
  roomEmpty(room: PresenceRoom): void {
    if (this.rooms.get(room.document) === room) this.rooms.delete(room.document);
  }

  /** The extension that routes established connections here and applies the policy on Hocuspocus's path. */
  extension(): Extension {
    return new PresenceExtension(this);
  }
}

class PresenceExtension implements Extension {
  /** Before other awareness hooks. */
  priority = 900;

  constructor(private readonly presence: Presence) {}

  async connected({ connection, context }: connectedPayload<CollabContext>): Promise<void> {
    this.presence.track(connection as Connection<CollabContext>, context.socket?.presence);
  }

  /**
   * Every client awareness frame goes through PresenceRoutes (routed, or held until routed), so none should
   * reach Hocuspocus's own awareness handling; should one slip past, it sets nothing. Server-side writes (no
   * connection) are trusted as they are.
   */
  async beforeHandleAwareness({
    connection,
    states,
  }: beforeHandleAwarenessPayload<CollabContext>): Promise<void> {
    if (connection) states.clear();
  }
}

/** An awareness frame matched to its connection. */
export interface AwarenessFrame {
  connection: Connection<CollabContext>;
  update: Uint8Array;
}

/** Awareness frames one socket may hold for documents still being set up (a provider sends one or two). */
const MAX_HELD_BYTES = 64 * 1024;

/**
 * The awareness frames of one WebSocket (a Hocuspocus-protocol socket can carry several documents): those of
 * routed connections go to the presence path, those that arrived for a document before its connection was
 * established are held until it is.
 */
export class PresenceRoutes {
  private held: Uint8Array[] = [];
  private heldBytes = 0;

  constructor(private readonly routes: SocketRoutes) {}

  /** Routes `connection`'s awareness frames from now on; returns the updates held for it, oldest first. */
  add(connection: Connection<CollabContext>): Uint8Array[] {
    const route = this.routes.get(connection);
    if (!route || route.presence) return [];
    route.presence = true;
    if (this.held.length === 0) return [];
    const headLength = route.addressBytes + 1;
    const mine = this.held.filter((frame) => route.typeOf(frame) === MessageType.Awareness);
    if (mine.length === 0) return [];
    this.held = this.held.filter((frame) => !mine.includes(frame));
    this.heldBytes = this.held.reduce((n, frame) => n + frame.length, 0);
    return mine.map((frame) => updateOf(frame, headLength) as Uint8Array);
  }

  /**
   * For an awareness frame: its connection and update when the connection is routed, 'held' when it is not
   * (yet), a refusal when it is malformed. Undefined for every other frame. `route`: the socket's route the
   * frame matched, if any.
   */
  match(frame: Uint8Array, route: Route | undefined): AwarenessFrame | 'held' | AppError | undefined {
    if (route?.presence) {
      if (route.typeOfMatched(frame) !== MessageType.Awareness) return undefined;
      const update = updateOf(frame, route.addressBytes + 1);
      return update instanceof Uint8Array ? { connection: route.connection, update } : update;
    }
    const headLength = awarenessHeadLength(frame);
    if (headLength === undefined) return undefined;
    const update = updateOf(frame, headLength);
    if (!(update instanceof Uint8Array)) return update;
    const refusal = checkUpdate(update);
    if (refusal) return refusal;
    // Beyond the cap (never reached by a provider), the frame is dropped: its state is resent within 15 s.
    if (this.heldBytes + frame.length <= MAX_HELD_BYTES) {
      this.held.push(frame);
      this.heldBytes += frame.length;
    }
    return 'held';
  }
}

function updateOf(frame: Uint8Array, headLength: number): Uint8Array | AppError {
  const decoder = decoding.createDecoder(frame);
  decoder.pos = headLength;
  try {
    return decoding.readVarUint8Array(decoder);
  } catch {
    return malformedAwareness('truncated frame');
  }
}

/** Where the update starts when `frame` is an awareness frame (address, Awareness, update); else undefined. */
function awarenessHeadLength(frame: Uint8Array): number | undefined {
  try {
    const decoder = decoding.createDecoder(frame);
    const addressBytes = decoding.readVarUint(decoder);
    decoder.pos += addressBytes;
    if (decoder.pos >= frame.length) return undefined;
    return decoding.readVarUint(decoder) === MessageType.Awareness ? decoder.pos : undefined;
  } catch {
    return undefined;
  }
}

/** A held update is checked now: it is applied later, when a refusal could no longer close the socket. */
function checkUpdate(update: Uint8Array): AppError | undefined {
  const entries = readAwarenessUpdate(update);
  if (entries instanceof AppError) return entries;
  for (const entry of entries) {
    const state = parseState(entry);
    if (state instanceof AppError) return state;
  }
  return undefined;
}
