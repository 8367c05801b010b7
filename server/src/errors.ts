// One error model: AppError carries a code from shared/errors.ts; this module maps it to HTTP, WebSocket
// close frames and JSON bodies in one place.
import { CLOSE_CODE_FOR, type ErrorBody, type ErrorCode, HTTP_STATUS } from '@tandem/shared';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  get closeCode(): number {
    return CLOSE_CODE_FOR[this.code];
  }

  /** WebSocket close reasons are limited to 123 bytes. */
  get closeReason(): string {
    return truncateUtf8(this.message, 123);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export const badRequest = (message: string) => new AppError('bad_request', message);
export const unauthorized = (message: string) => new AppError('unauthorized', message);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const notFound = (message: string) => new AppError('not_found', message);

/** Anything thrown becomes an AppError; unknown errors become `internal` without leaking their text. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', 'internal server error; the incident was logged');
}

export function truncateUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back off a UTF-8 continuation byte so the result stays valid.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}
