// The token a class page starts with: from the link's fragment (then stored for this tab), else the one this
// tab stored before a reload, else none (saying whether the stored one had expired). Later tokens (an embed
// host's setToken) are stored too.
import type { TokenStore } from './TokenStore.ts';
import { takeTokenFromLocation } from './token.ts';
import { loadToken, saveToken, type TokenStorage, tabStorage } from './tokenPersistence.ts';

export interface InitialToken {
  token: string | null;
  /** This tab had a token for the class, and it expired. */
  expired: boolean;
}

export function initialToken(classId: string, storage: TokenStorage | null = tabStorage()): InitialToken {
  const fromLink = takeTokenFromLocation();
  if (fromLink) {
    saveToken(storage, classId, fromLink);
    return { token: fromLink, expired: false };
  }
  const stored = loadToken(storage, classId);
  return stored.status === 'valid'
    ? { token: stored.token, expired: false }
    : { token: null, expired: stored.status === 'expired' };
}

/** Stores every new token of the page (an embed host's setToken) for the next reload. */
export function keepTokens(tokens: TokenStore, classId: string, storage: TokenStorage | null = tabStorage()) {
  return tokens.subscribe((token) => {
    if (token) saveToken(storage, classId, token);
  });
}
