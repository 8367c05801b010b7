// Remembers tokens that verified, so a page opening many documents with one token (a student's code, board and
// workspace; an instructor's wall of every student's code) pays for one signature check, not one per document:
// a verification costs over 100 µs of CPU, a lookup well under one. An entry is kept until the token expires
// (with the verifier's clock tolerance) and at most MAX_ENTRY_MS, so a key withdrawn from a JWKS stops being
// trusted within that time, as a re-fetch would. Keyed by the whole token string: any other string, a tampered
// one included, is verified in full. Bounded; the oldest entries go first.
import type { TokenClaims } from '@tandem/shared';

/** How long a verified token is trusted without checking its signature again. */
export const MAX_ENTRY_MS = 60_000;
/** Tokens remembered at most (a class of hundreds, several nodes' worth of refreshes). */
export const MAX_ENTRIES = 4096;

interface Entry {
  claims: Readonly<TokenClaims>;
  until: number;
}

export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clockToleranceMs: number,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** The claims of `token` if it verified before and is still within its time; undefined otherwise. */
  get(token: string, now: number): Readonly<TokenClaims> | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now < entry.until) return entry.claims;
    this.entries.delete(token);
    return undefined;
  }

  /** Remembers claims `token` verified to, at `now`. */
  add(token: string, claims: TokenClaims, now: number): void {
    const until = Math.min(claims.exp * 1000 + this.clockToleranceMs, now + MAX_ENTRY_MS);
    if (until <= now) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { claims: Object.freeze({ ...claims }), until });
  }

  get size(): number {
    return this.entries.size;
  }
}
