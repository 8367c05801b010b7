// The token a replay page (`/replay/<sessionId>`) starts with. The address names a session, not a class, so the
// class comes from the token itself (its `cls` claim): a token from the link is kept for this tab under its
// class as on the class page, and the tab remembers which class the session belongs to, so a reload finds the
// kept token again. The server checks the token against the session's class; the client only files it.
import type { InitialToken } from './initialToken.ts';
import { readClaims, takeTokenFromLocation } from './token.ts';
import { loadToken, saveToken, type TokenStorage, tabStorage } from './tokenPersistence.ts';

const sessionKey = (sessionId: string) => `tandem:replay-class:${sessionId}`;

export function initialReplayToken(
  sessionId: string,
  storage: TokenStorage | null = tabStorage(),
  fromLink: string | null = takeTokenFromLocation(),
): InitialToken {
  const classId = fromLink ? readClaims(fromLink)?.cls : null;
  if (fromLink) {
    if (classId) {
      saveToken(storage, classId, fromLink);
      remember(storage, sessionId, classId);
    }
    return { token: fromLink, expired: false };
  }
  const known = recall(storage, sessionId);
  if (!known) return { token: null, expired: false };
  const stored = loadToken(storage, known);
  return stored.status === 'valid'
    ? { token: stored.token, expired: false }
    : { token: null, expired: stored.status === 'expired' };
}

function remember(storage: TokenStorage | null, sessionId: string, classId: string): void {
  try {
    storage?.setItem(sessionKey(sessionId), classId);
  } catch {
    // Refused storage: a reload asks for the link again.
  }
}

function recall(storage: TokenStorage | null, sessionId: string): string | null {
  try {
    return storage?.getItem(sessionKey(sessionId)) ?? null;
  } catch {
    return null;
  }
}
