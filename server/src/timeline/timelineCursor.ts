// The timeline's paging cursor: the (at, id) of the last event of a page, opaque to clients (base64url JSON).
import { AppError } from '../errors.ts';

export interface Position {
  at: number;
  id: string;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.at, p.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const bad = () =>
    new AppError('bad_request', 'cursor: not a cursor this API gave (use the `next` of a page)');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw bad();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !Number.isSafeInteger(value[0]) ||
    typeof value[1] !== 'string' ||
    value[1].length > 150
  ) {
    throw bad();
  }
  return { at: value[0] as number, id: value[1] as string };
}

/** Events order by (at, id); ids compare as strings, code unit by code unit. */
export function comparePositions(a: Position, b: Position): number {
  if (a.at !== b.at) return a.at - b.at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
