// The few frames a raw joiner needs, per server protocol: Hocuspocus's (Tandem and stock Hocuspocus: every
// message starts with the document address) and y-websocket's (one document per socket, no address).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ServerKind } from '../options.ts';
import { clientFrame } from './rawSocket.ts';

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

/** A Yjs update with nothing in it (`Y.encodeStateAsUpdate(new Y.Doc())`): the sync step 2 of an empty client. */
export const EMPTY_UPDATE = new Uint8Array([0, 0]);

export interface Protocol {
  /** Socket URL for the document. */
  url(origin: string, document: string): string;
  /** What a joiner with nothing sends: authentication (Hocuspocus) and sync step 1 with an empty state vector. */
  joinFrames(document: string, token: string): Buffer[];
  /** An update frame (seeding a server without storage). */
  updateFrame(document: string, update: Uint8Array): Buffer;
  /** An awareness update frame. */
  awarenessFrame(document: string, update: Uint8Array): Buffer;
  /** True for a sync step 2 message (the joiner then has the document). */
  isStep2(prefix: Uint8Array): boolean;
  /** True for the server's sync step 1, which a client answers with its sync step 2 (as every Yjs client does). */
  isStep1(prefix: Uint8Array): boolean;
  /** A client's sync step 2 carrying `update` (an empty one from a client with nothing the server lacks). */
  step2Frame(document: string, update: Uint8Array): Buffer;
  /** The Yjs update a whole sync update message carries, else undefined. */
  updateOf(message: Uint8Array): Uint8Array | undefined;
}

function readUpdate(decoder: decoding.Decoder): Uint8Array | undefined {
  if (decoding.readVarUint(decoder) !== SYNC || decoding.readVarUint(decoder) !== UPDATE) return undefined;
  return decoding.readVarUint8Array(decoder);
}

function hocuspocusMessage(document: string, write: (e: encoding.Encoder) => void): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, document);
  write(e);
  return clientFrame(encoding.toUint8Array(e));
}

const hocuspocus = (path: string): Protocol => ({
  url: (origin) => `${origin.replace(/^http/, 'ws')}${path}`,
  joinFrames: (document, token) => [
    hocuspocusMessage(document, (e) => {
      encoding.writeVarUint(e, AUTH);
      encoding.writeVarUint(e, 0); // Token
      encoding.writeVarString(e, token);
    }),
    hocuspocusMessage(document, (e) => {
      encoding.writeVarUint(e, SYNC);
      encoding.writeVarUint(e, STEP1);
      encoding.writeVarUint8Array(e, new Uint8Array([0]));
    }),
  ],
  updateFrame: (document, update) =>
    hocuspocusMessage(document, (e) => {
      encoding.writeVarUint(e, SYNC);
      encoding.writeVarUint(e, UPDATE);
      encoding.writeVarUint8Array(e, update);
    }),
  awarenessFrame: (document, update) =>
    hocuspocusMessage(document, (e) => {
      encoding.writeVarUint(e, AWARENESS);
      encoding.writeVarUint8Array(e, update);
    }),
  updateOf(message) {
    try {
      const d = decoding.createDecoder(message);
      decoding.readVarString(d);
      return readUpdate(d);
    } catch {
      return undefined;
    }
  },
  isStep2: (prefix) => hocuspocusSyncStep(prefix) === STEP2,
  isStep1: (prefix) => hocuspocusSyncStep(prefix) === STEP1,
  step2Frame: (document, update) =>
    hocuspocusMessage(document, (e) => {
      encoding.writeVarUint(e, SYNC);
      encoding.writeVarUint(e, STEP2);
      encoding.writeVarUint8Array(e, update);
    }),
});

/** The sync message type of a Hocuspocus frame (after its document address), or undefined. */
function hocuspocusSyncStep(prefix: Uint8Array): number | undefined {
  try {
    const d = decoding.createDecoder(prefix);
    decoding.readVarString(d);
    return decoding.readVarUint(d) === SYNC ? decoding.readVarUint(d) : undefined;
  } catch {
    return undefined;
  }
}

const yWebsocket: Protocol = {
  url: (origin, document) => `${origin.replace(/^http/, 'ws')}/${encodeURIComponent(document)}`,
  joinFrames: () => [clientFrame(new Uint8Array([SYNC, STEP1, 1, 0]))],
  updateFrame: (_document, update) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, UPDATE);
    encoding.writeVarUint8Array(e, update);
    return clientFrame(encoding.toUint8Array(e));
  },
  awarenessFrame: (_document, update) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, AWARENESS);
    encoding.writeVarUint8Array(e, update);
    return clientFrame(encoding.toUint8Array(e));
  },
  isStep2: (prefix) => prefix[0] === SYNC && prefix[1] === STEP2,
  isStep1: (prefix) => prefix[0] === SYNC && prefix[1] === STEP1,
  step2Frame: (_document, update) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, STEP2);
    encoding.writeVarUint8Array(e, update);
    return clientFrame(encoding.toUint8Array(e));
  },
  updateOf(message) {
    try {
      return readUpdate(decoding.createDecoder(message));
    } catch {
      return undefined;
    }
  },
};

export function protocolOf(server: ServerKind): Protocol {
  switch (server) {
    case 'tandem':
    case 'tandem-patched':
      return hocuspocus('/collab');
    case 'hocuspocus':
      return hocuspocus('/');
    case 'y-websocket':
      return yWebsocket;
  }
}
