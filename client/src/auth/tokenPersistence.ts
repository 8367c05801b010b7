// Keeps a class's token for this browser tab in sessionStorage, so a reload (F5) stays signed in while the
// token is valid. sessionStorage belongs to this tab and ends with it; the token still never goes into the
// URL, a log or a request other than the sign-ins. A stored token that has expired is dropped and reported,
// so the page can say how to get back in.
import { readClaims } from './token.ts';

export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export type StoredToken =
  | { status: 'none' }
  | { status: 'valid'; token: string }
  /** There was a token for this class, but it has expired (it is gone now). */
  | { status: 'expired' };

const key = (classId: string) => `tandem:token:${classId}`;

/** This tab's sessionStorage, or null where the browser refuses it (some sandboxed or private frames). */
export function tabStorage(): TokenStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function saveToken(storage: TokenStorage | null, classId: string, token: string): void {
  try {
    storage?.setItem(key(classId), token);
  } catch {
    // Full or refused storage: the page works, a reload will ask for the link again.
  }
}

export function loadToken(storage: TokenStorage | null, classId: string, nowMs = Date.now()): StoredToken {
  let token: string | null = null;
  try {
    token = storage?.getItem(key(classId)) ?? null;
  } catch {
    return { status: 'none' };
  }
  if (!token) return { status: 'none' };
  const claims = readClaims(token);
  if (claims && claims.exp * 1000 > nowMs) return { status: 'valid', token };
  try {
    storage?.removeItem(key(classId));
  } catch {
    // Nothing more to do: it will be refused again next time.
  }
  return claims ? { status: 'expired' } : { status: 'none' };
}
