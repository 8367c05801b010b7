// The connection to the collaboration server as a tagged union, and the pure transition function that the
// session feeds with socket events, the browser's offline/online events and the heartbeat. The UI renders
// from this state only.
import { CLOSE_CODES } from '@tandem/shared';

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'online' }
  | {
      status: 'offline';
      attempt: number;
      since: number;
      /** closed: the socket closed; network: the browser went offline; silent: the heartbeat got no answer. */
      cause: OfflineCause;
    }
  /**
   * The server refused the token, or staff removed this person from the class for the rest of the session;
   * retrying cannot help (a removed person reloads once staff let them back in).
   */
  | { status: 'refused'; reason: 'expired' | 'unauthorized' | 'forbidden' | 'removed'; message: string };

export type OfflineCause = 'closed' | 'network' | 'silent';

export type ConnectionEvent =
  | { type: 'connecting' }
  | { type: 'open' }
  | { type: 'close'; code: number; reason: string; at: number }
  /** The browser says the network is gone (the `offline` event): say so now, not when the socket times out. */
  | { type: 'browserOffline'; at: number }
  /** The open socket stopped answering the heartbeat. */
  | { type: 'stalled'; at: number }
  /** A message arrived on the open socket while the browser says it is online. */
  | { type: 'heard' }
  | { type: 'authFailed'; reason: string }
  | { type: 'tokenChanged' };

export const INITIAL_CONNECTION: ConnectionState = { status: 'connecting', attempt: 0 };

/** Close codes and auth-failure reasons that mean "this token will not work". */
export function refusalFor(
  code: number,
  reason: string,
): Extract<ConnectionState, { status: 'refused' }> | null {
  const expired = /expire/i.test(reason);
  if (code === CLOSE_CODES.unauthorized) {
    return { status: 'refused', reason: expired ? 'expired' : 'unauthorized', message: reason };
  }
  if (code === CLOSE_CODES.forbidden) return { status: 'refused', reason: 'forbidden', message: reason };
  if (code === CLOSE_CODES.removed) return { status: 'refused', reason: 'removed', message: reason };
  return null;
}

/** The server's permission-denied reason reads `"<close code> <message>"` (e.g. `"4401 token expired"`). */
export function splitAuthReason(reason: string): { code: number; message: string } {
  const match = /^(\d{4})\s+(.*)$/s.exec(reason);
  if (!match) return { code: CLOSE_CODES.unauthorized, message: reason };
  return { code: Number(match[1]), message: match[2] ?? '' };
}

export function nextConnectionState(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'connecting':
      if (state.status === 'refused') return state;
      return { status: 'connecting', attempt: state.status === 'offline' ? state.attempt + 1 : 0 };
    case 'open':
      return state.status === 'refused' ? state : { status: 'online' };
    case 'close': {
      const refused = refusalFor(event.code, event.reason);
      if (refused) return refused;
      if (state.status === 'refused') return state;
      const attempt = state.status === 'connecting' ? state.attempt : 0;
      const since = state.status === 'offline' ? state.since : event.at;
      return { status: 'offline', attempt, since, cause: 'closed' };
    }
    case 'browserOffline':
    case 'stalled': {
      if (state.status === 'refused' || state.status === 'offline') return state;
      const attempt = state.status === 'connecting' ? state.attempt : 0;
      return {
        status: 'offline',
        attempt,
        since: event.at,
        cause: event.type === 'browserOffline' ? 'network' : 'silent',
      };
    }
    case 'heard':
      // Only an open socket hears anything; a closed one comes back through 'open'.
      return state.status === 'offline' && state.cause !== 'closed' ? { status: 'online' } : state;
    case 'authFailed': {
      const { code, message } = splitAuthReason(event.reason);
      // A cluster node handing the class over (the socket closes too and reconnects): not the token's fault.
      if (code === CLOSE_CODES.unavailable) return state;
      return refusalFor(code, message) ?? refusalFor(CLOSE_CODES.unauthorized, message)!;
    }
    case 'tokenChanged':
      return { status: 'connecting', attempt: 0 };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** What to tell a person, in one sentence that says what to do next. */
export function describeConnection(state: ConnectionState): string {
  switch (state.status) {
    case 'online':
      return 'Connected';
    case 'connecting':
      return state.attempt === 0 ? 'Connecting…' : `Reconnecting (attempt ${state.attempt + 1})…`;
    case 'offline':
      return 'Offline: your edits are kept on this device and sent when the connection returns.';
    case 'refused':
      switch (state.reason) {
        case 'expired':
          return 'Your session has expired. Reopen the class from your course page to get a fresh link.';
        case 'forbidden':
          return 'This link does not give you access to this class. Ask your instructor for a new one.';
        case 'unauthorized':
          return 'This link is not valid (or has expired). Reopen the class from your course page.';
        case 'removed':
          return 'Staff removed you from this class for the rest of the session. Ask the instructor to let you back in, then try again (or reopen the class from your course page).';
        default: {
          const unreachable: never = state.reason;
          return unreachable;
        }
      }
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}
