// Adapts a stock y-websocket connection (one document, no address prefix) to Hocuspocus's multiplexed
// protocol: inbound frames get the document address prepended, outbound frames lose it, and
// Hocuspocus-only messages (auth results, sync status, stateless) are not forwarded.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';

const HP = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3, SyncReply: 4, Close: 7 } as const;
const AUTH_TOKEN = 0;

export class YjsBridgeSocket {
  constructor(
    private readonly ws: WebSocket,
    private readonly documentName: string,
  ) {}

  get readyState(): number {
    return this.ws.readyState;
  }

  /** The Hocuspocus auth message for the token the client passed in its URL. */
  authFrame(token: string): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, this.documentName);
    encoding.writeVarUint(e, HP.Auth);
    encoding.writeVarUint(e, AUTH_TOKEN);
    encoding.writeVarString(e, token);
    return encoding.toUint8Array(e);
  }

  toHocuspocusFrame(data: Uint8Array): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, this.documentName);
    encoding.writeUint8Array(e, data);
    return encoding.toUint8Array(e);
  }

  /** Called by Hocuspocus with its own frames. */
  send(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    const start = decoder.pos;
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case HP.Sync:
      case HP.SyncReply:
      case HP.Awareness: {
        const out = data.subarray(start);
        // SyncReply is Hocuspocus's name for a sync message that must not trigger another step 1.
        if (type === HP.SyncReply) {
          const copy = new Uint8Array(out);
          copy[0] = HP.Sync;
          this.ws.send(copy);
        } else {
          this.ws.send(out);
        }
        return;
      }
      case HP.Close:
        this.ws.close(1000, 'document closed by server');
        return;
      default:
        // Auth replies, sync status, stateless: y-websocket has no such messages.
        return;
    }
  }

  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }
}
