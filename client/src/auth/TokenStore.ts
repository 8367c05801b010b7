// Holds the current token; an embed's host may replace it (setToken) and connections read it on each connect.
import type { TokenClaims } from '@tandem/shared';
import { readClaims } from './token.ts';

type Listener = (token: string | null) => void;

export class TokenStore {
  #token: string | null;
  #claims: TokenClaims | null;
  readonly #listeners = new Set<Listener>();

  constructor(token: string | null) {
    this.#token = token;
    this.#claims = token ? readClaims(token) : null;
  }

  get token(): string | null {
    return this.#token;
  }

  get claims(): TokenClaims | null {
    return this.#claims;
  }

  set(token: string): void {
    this.#token = token;
    this.#claims = readClaims(token);
    for (const listener of this.#listeners) listener(token);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
