// Tells other parts of the server (the classroom's presence tracker) when a document connection is established
// or ends. One extension, created with the others so Hocuspocus orders it by priority; listeners are added
// later through the collab service, once the parts that listen exist.
import type { Connection, Extension } from '@hocuspocus/server';
import type { CollabContext } from './context.ts';

export type ConnectedListener = (
  connection: Connection<CollabContext>,
  context: CollabContext,
) => void | Promise<void>;
export type DisconnectedListener = (context: CollabContext) => void;

export interface ConnectionEvents {
  onConnected(listener: ConnectedListener): void;
  onDisconnected(listener: DisconnectedListener): void;
}

export class ConnectionEventsExtension implements Extension, ConnectionEvents {
  /** After every other extension: only connections that made it through all of them are reported. */
  priority = 10;
  private readonly connectedListeners: ConnectedListener[] = [];
  private readonly disconnectedListeners: DisconnectedListener[] = [];

  onConnected(listener: ConnectedListener): void {
    this.connectedListeners.push(listener);
  }

  onDisconnected(listener: DisconnectedListener): void {
    this.disconnectedListeners.push(listener);
  }

  async connected({
    connection,
    context,
  }: {
    connection: Connection;
    context: CollabContext;
  }): Promise<void> {
    for (const listener of this.connectedListeners)
      await listener(connection as Connection<CollabContext>, context);
  }

  async onDisconnect({ context }: { context: CollabContext }): Promise<void> {
    for (const listener of this.disconnectedListeners) listener(context);
  }
}
