// The few frames a raw joiner sends and recognises in the Hocuspocus protocol (Tandem's /collab and stock
// Hocuspocus alike: every message starts with the document address).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { clientFrame } from './rawSocket.ts';

const SYNC = 0;
const AUTH = 2;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

function message(document: string, write: (e: encoding.Encoder) => void): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, document);
  write(e);
  return clientFrame(encoding.toUint8Array(e));
}

/** What a joiner with nothing sends: authentication, then sync step 1 with an empty state vector. */
export function joinFrames(document: string, token: string): Buffer[] {
  return [
    message(document, (e) => {
      encoding.writeVarUint(e, AUTH);
      encoding.writeVarUint(e, 0); // Token
      encoding.writeVarString(e, token);
    }),
    message(document, (e) => {
      encoding.writeVarUint(e, SYNC);
      encoding.writeVarUint(e, STEP1);
      encoding.writeVarUint8Array(e, new Uint8Array([0]));
    }),
  ];
}

/** A sync update frame (seeding a server that has no storage). */
export function updateFrame(document: string, update: Uint8Array): Buffer {
  return message(document, (e) => {
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, UPDATE);
    encoding.writeVarUint8Array(e, update);
  });
}

/** True for a sync step 2 message (the joiner then has the document), judged from its first bytes. */
export function isStep2(prefix: Uint8Array): boolean {
  try {
    const d = decoding.createDecoder(prefix);
    decoding.readVarString(d);
    return decoding.readVarUint(d) === SYNC && decoding.readVarUint(d) === STEP2;
  } catch {
    return false;
  }
}
