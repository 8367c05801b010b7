// One error vocabulary for HTTP, WebSocket close codes and signaling replies.
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  /** Staff removed this person from the class for the rest of its session (until they let them back in). */
  'removed',
  'not_found',
  'conflict',
  'too_large',
  'rate_limited',
  'update_refused',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** WebSocket close codes (4000-4999 is the application range; 4401/4403 mirror HTTP). */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  tooLarge: 1009,
  internal: 1011,
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  /** Removed from the class by staff: every endpoint refuses this person until staff let them back in. */
  removed: 4410,
  conflict: 4409,
  /** A Yjs update the document cannot take (see updateRefusals.ts); the reason names the refusal code. */
  updateRefused: 4422,
  rateLimited: 4429,
  unavailable: 4503,
} as const;

export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  removed: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  update_refused: 422,
  unavailable: 503,
  internal: 500,
};

export const CLOSE_CODE_FOR: Record<ErrorCode, number> = {
  bad_request: CLOSE_CODES.badRequest,
  unauthorized: CLOSE_CODES.unauthorized,
  forbidden: CLOSE_CODES.forbidden,
  removed: CLOSE_CODES.removed,
  not_found: CLOSE_CODES.notFound,
  conflict: CLOSE_CODES.conflict,
  too_large: CLOSE_CODES.tooLarge,
  rate_limited: CLOSE_CODES.rateLimited,
  update_refused: CLOSE_CODES.updateRefused,
  unavailable: CLOSE_CODES.unavailable,
  internal: CLOSE_CODES.internal,
};

/** JSON body of every error response: `{ "error": { "code": "forbidden", "message": "..." } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
