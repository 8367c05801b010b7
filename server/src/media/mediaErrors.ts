// Maps what mediasoup throws onto the one AppError model, and the exhaustiveness helper for switches.
import { AppError, toAppError } from '../errors.ts';

/**
 * mediasoup's error classes, told apart by the name each sets, so that this module (which the unavailable
 * service reaches too) does not load mediasoup.
 */
function isMediasoupError(
  error: unknown,
  name: 'UnsupportedError' | 'NotFoundError' | 'WorkerClosedError',
): error is Error {
  return error instanceof Error && error.name === name;
}

/**
 * mediasoup validates RTP parameters and capabilities itself and throws TypeError (or UnsupportedError for
 * a codec the Router lacks): those describe the client's request, so the client gets their text.
 */
export function fromMediasoupError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof TypeError || isMediasoupError(error, 'UnsupportedError')) {
    return new AppError('bad_request', `mediasoup refused the request: ${error.message}`);
  }
  if (isMediasoupError(error, 'NotFoundError')) return new AppError('not_found', error.message);
  if (isMediasoupError(error, 'WorkerClosedError')) {
    return new AppError('unavailable', 'the media server is restarting: reconnect and join again');
  }
  return toAppError(error);
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
