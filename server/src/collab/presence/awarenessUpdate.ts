// Reads a y-protocols awareness update ([count, (clientID, clock, JSON state)*]) into entries without a
// scratch Awareness or Y.Doc, and stamps a state with the token's identity. Pure; no document access.
import { keyedRecord, type UserIdentity } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import { AppError } from '../../errors.ts';

/** One client's entry of an awareness update; `json` is the state's UTF-8 JSON, `null` for a removal. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  json: Uint8Array;
}

/** A state as stored in an Awareness: a JSON object, or null when the client removed its presence. */
export type PresenceState = Record<string, unknown> | null;

const NULL_JSON = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]); // "null"
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function malformedAwareness(detail: string): AppError {
  return new AppError('bad_request', `malformed awareness update: ${detail}`);
}

/**
 * The entries of an awareness update, or a refusal when it does not decode. Only varints and slices: a state's
 * JSON is parsed later, and only for entries the connection may set.
 */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] | AppError {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    // Each entry takes at least three bytes, so a count beyond that is a lie, not a reason to allocate.
    if (count > update.length / 3) return malformedAwareness('entry count exceeds the update');
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarUint8Array(decoder);
      entries.push({ clientId, clock, json });
    }
    return entries;
  } catch {
    return malformedAwareness('truncated');
  }
}

export function isRemoval(entry: AwarenessEntry): boolean {
  const { json } = entry;
  return json.length === 4 && json.every((b, i) => b === NULL_JSON[i]);
}

/** The entry's state: a plain object or null; anything else is a refusal. */
export function parseState(entry: AwarenessEntry): PresenceState | AppError {
  if (isRemoval(entry)) return null;
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(entry.json));
  } catch {
    return malformedAwareness(`state of client ${entry.clientId} is not JSON`);
  }
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    return malformedAwareness(`state of client ${entry.clientId} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * The state with `user` set from the verified token: id, name and role always come from the server. Clients may
 * add presentation fields (a colour) next to them; only a few short strings are kept.
 */
export function withIdentity(
  state: Record<string, unknown>,
  user: Pick<UserIdentity, 'id' | 'name' | 'role'>,
): Record<string, unknown> {
  return {
    ...state,
    user: { ...presentationFields(state.user), id: user.id, name: user.name, role: user.role },
  };
}

function presentationFields(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  // Field names come from the client: `__proto__` is kept as a field, never taken as a prototype.
  const out = keyedRecord<string>();
  for (const [k, v] of Object.entries(value).slice(0, 8)) {
    if (typeof v === 'string' && v.length <= 64) out[k] = v;
  }
  return out;
}
