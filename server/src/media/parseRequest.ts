// Turns one WebSocket frame into a validated media request, or an AppError that says what was wrong and
// carries the request id when one could be read, so the client can match the error to its request.
import {
  describeIssue,
  MEDIA_METHODS,
  type MediaMethod,
  type MediaRequest,
  mediaRequestSchema,
  requestEnvelopeSchema,
} from '@tandem/shared';
import * as v from 'valibot';
import { AppError } from '../errors.ts';

export type ParsedRequest =
  | { ok: true; request: MediaRequest }
  | { ok: false; id: number | null; error: AppError };

export function parseRequest(frame: Buffer | string, isBinary: boolean): ParsedRequest {
  if (isBinary) return fail(null, 'media signaling uses JSON text frames, not binary ones');
  let json: unknown;
  try {
    json = JSON.parse(typeof frame === 'string' ? frame : frame.toString('utf8'));
  } catch {
    return fail(null, 'message is not valid JSON');
  }
  const envelope = v.safeParse(requestEnvelopeSchema, json);
  if (!envelope.success) {
    return fail(
      idOf(json),
      `not a request (${describeIssue(envelope.issues)}); send {"id": 1, "method": "...", "data": {...}}`,
    );
  }
  const { id, method } = envelope.output;
  if (!(MEDIA_METHODS as readonly string[]).includes(method)) {
    return fail(id, `unknown method "${method}"; see docs/media-protocol.md for the methods`);
  }
  const parsed = v.safeParse(mediaRequestSchema, json);
  if (!parsed.success)
    return fail(id, `invalid ${method as MediaMethod} request: ${describeIssue(parsed.issues)}`);
  return { ok: true, request: parsed.output };
}

/** Reads a request id without parsing the whole frame (used when refusing a frame unread). */
export function peekRequestId(frame: Buffer | string): number | null {
  const head = typeof frame === 'string' ? frame.slice(0, 100) : frame.subarray(0, 100).toString('latin1');
  const match = /"id"\s*:\s*(\d{1,15})\b/.exec(head);
  return match ? Number(match[1]) : null;
}

function idOf(json: unknown): number | null {
  if (json && typeof json === 'object' && 'id' in json) {
    const { id } = json as { id: unknown };
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
  }
  return null;
}

function fail(id: number | null, message: string): ParsedRequest {
  return { ok: false, id, error: new AppError('bad_request', message) };
}
