// Hocuspocus (4.7) keeps a socket's documents in plain objects keyed by the address a client writes in each
// frame, so an address such as `__proto__` or `toString` finds an Object.prototype member there, throws
// inside Hocuspocus, and is logged to the console as an "Unauthorized" close. Such addresses are refused
// here first, with a reason; no valid document name (`<classId>/<kind>/<key>`) can be one of them.
import * as decoding from 'lib0/decoding';
import { AppError } from '../errors.ts';

/** A refusal when the frame's document address names an Object.prototype member; undefined otherwise. */
export function checkAddress(frame: Uint8Array): AppError | undefined {
  let address: string;
  try {
    address = decoding.readVarString(decoding.createDecoder(frame));
  } catch {
    return undefined; // Not decodable: the frame guard refuses it with its own reason.
  }
  const separator = address.indexOf('\0');
  const documentName = separator === -1 ? address : address.slice(0, separator);
  if (address in Object.prototype || documentName in Object.prototype) {
    return new AppError('bad_request', `"${documentName.slice(0, 40)}" is not a document name`);
  }
  return undefined;
}
