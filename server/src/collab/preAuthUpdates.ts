// Drops document updates a client sends for a document before it has sent that document's Auth on this socket.
//
// A provider that was offline queues each change as an update message and sends the queue the moment its socket
// opens, before its Auth and SyncStep1. Those updates are incremental: they continue from the last change the
// client sent, not from what the server has. After a node died (or restarted) with some of the client's sent
// changes not yet durable, and so never acknowledged, the server lacks them, the queued updates start after a
// gap, and the update check refuses them (`missing_structs`): the client's offline work goes to "Recovered
// edits" instead of merging. Nothing is lost by dropping them instead: the handshake that follows (the server's
// SyncStep1, the client's SyncStep2) carries everything the server lacks, computed from the server's own state
// vector, and the provider resets its unacknowledged count when it starts that handshake.
import { MessageType } from '@hocuspocus/server';
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import { readFrameHead } from './frameHead.ts';

/** Bounds the addresses remembered per socket (a socket may open at most MAX_DOCUMENTS_PER_SOCKET anyway). */
const MAX_ADDRESSES = 1024;

export class PreAuthUpdates {
  /** The first address this socket sent an Auth for; a set only from the second on (most carry one document). */
  #first: string | undefined;
  #more: Set<string> | undefined;

  /** True when `frame` is a document update sent before its document's Auth on this socket (drop it). */
  drop(frame: Uint8Array): boolean {
    const head = readFrameHead(frame);
    if (!head) return false;
    const { address, type, syncType } = head;
    if (type === MessageType.Auth) {
      this.#remember(address);
      return false;
    }
    if (type !== MessageType.Sync || (syncType !== messageYjsUpdate && syncType !== messageYjsSyncStep2))
      return false;
    return !this.sawAuth(address) && !this.#full();
  }

  /** Whether this socket has sent an Auth for `address` (remembered for up to MAX_ADDRESSES addresses). */
  sawAuth(address: string): boolean {
    return address === this.#first || (this.#more?.has(address) ?? false);
  }

  #remember(address: string): void {
    if (this.#first === undefined) this.#first = address;
    else if (address !== this.#first && !this.#full()) {
      this.#more ??= new Set();
      this.#more.add(address);
    }
  }

  /** Past MAX_ADDRESSES nothing more is remembered, and nothing is dropped. */
  #full(): boolean {
    return 1 + (this.#more?.size ?? 0) >= MAX_ADDRESSES;
  }
}
