// The established connections of one collaboration socket, each known by the bytes every frame for it starts
// with (its address). One record per connection serves all of the socket's frame rules: the reopen order (is
// this address open?), the presence path (whose awareness is this?) and the direct update path (whose update,
// through which gate?). One record, one address buffer and one close listener per connection, where each rule
// kept its own: a server holds one per open document of every socket (docs/benchmarks.md, idle memory).
import type { Connection, Extension } from '@hocuspocus/server';
import { MessageType } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import type { CollabContext } from './context.ts';
import type { UpdateGate } from './UpdateGate.ts';

/** One established connection of a socket. */
export class Route {
  /**
   * Its sync acknowledgement (address, SyncStatus, saved), sent for every update of the direct path. Its first
   * `addressBytes` bytes are the encoded address that starts every frame for this connection.
   */
  readonly ack: Uint8Array;
  readonly addressBytes: number;
  /** Set once its awareness frames take the presence path (presence/Presence.ts). */
  presence = false;
  /** Set when its sync updates take the direct path (directUpdates.ts): the document's gate and the author. */
  gate: Pick<UpdateGate, 'admit'> | undefined = undefined;
  userId = '';

  constructor(readonly connection: Connection<CollabContext>) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, connection.messageAddress);
    this.addressBytes = encoding.length(encoder);
    encoding.writeVarUint(encoder, MessageType.SyncStatus);
    encoding.writeVarUint(encoder, 1);
    this.ack = encoding.toUint8Array(encoder);
  }

  get address(): string {
    return this.connection.messageAddress;
  }

  /** The frame's message type when the frame is for this connection; -1 when it is not. */
  typeOf(frame: Uint8Array): number {
    const { ack, addressBytes } = this;
    if (frame.length <= addressBytes) return -1;
    for (let i = 0; i < addressBytes; i++) if (frame[i] !== ack[i]) return -1;
    return this.typeOfMatched(frame);
  }

  /**
   * The message type of a frame already found to be for this connection (SocketRoutes.match), without comparing
   * its address again. Every message type is below 128: its varuint is the one byte after the address.
   */
  typeOfMatched(frame: Uint8Array): number {
    return frame[this.addressBytes] as number;
  }
}

/** Told when a route of the socket is gone (its connection closed). */
export interface RouteCloseListener {
  routeClosed(route: Route): void;
}

export class SocketRoutes {
  #routes: readonly Route[] = [];

  /**
   * `direct`: whether sync updates may take the direct path (Hocuspocus-protocol sockets; a bridged y-websocket
   * socket's frames are rewritten first). `closed` hears of every route that goes.
   */
  constructor(
    readonly direct: boolean,
    private readonly closed?: RouteCloseListener,
  ) {}

  /** Routes an established connection's frames from now on, until it closes. */
  add(connection: Connection<CollabContext>): Route {
    const found = this.get(connection);
    if (found) return found;
    const route = new Route(connection);
    // A copy of exact length: push would give a socket's usual one or two routes room for seventeen.
    this.#routes = this.#routes.concat(route);
    connection.onClose(() => this.#remove(route));
    return route;
  }

  get(connection: Connection): Route | undefined {
    return this.#routes.find((route) => route.connection === connection);
  }

  /** The route of the connection the frame is for, if it is established on this socket. */
  match(frame: Uint8Array): Route | undefined {
    for (const route of this.#routes) if (route.typeOf(frame) !== -1) return route;
    return undefined;
  }

  #remove(route: Route): void {
    this.#routes = this.#routes.filter((r) => r !== route);
    this.closed?.routeClosed(route);
  }
}

/** Routes each connection on its socket as soon as Hocuspocus has established it. */
export class SocketRoutesExtension implements Extension {
  /** Before every other `connected` hook: they find the route made here. */
  priority = 1000;

  async connected({
    connection,
    context,
  }: {
    connection: Connection<CollabContext>;
    context: CollabContext;
  }): Promise<void> {
    context.socket?.routes?.add(connection);
  }
}
