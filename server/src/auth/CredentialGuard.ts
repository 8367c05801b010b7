// Back-off on bad credentials, per client address: failed tokens and API keys draw on a bucket (a burst,
// then a steady rate); an address with none left has new credentials refused unchecked (429 / 4429 with
// a retry time) until it refills. Only failures count, so busy classes never use it up; and a token that
// verified recently still passes from a blocked address, so an attacker sharing a school's NAT address
// cannot lock out students already signed in (guessing such a token means already having it).
import crypto from 'node:crypto';
import type { TokenClaims } from '@tandem/shared';
import { AppError } from '../errors.ts';
import { TokenBucket } from '../util/TokenBucket.ts';
import type { TokenVerifier } from './verifier.ts';

export interface BackoffLimits {
  /** Failures an address may make at once. */
  failureBurst: number;
  /** Failures an address may make per minute after its burst. */
  failuresPerMin: number;
}

/** Bounds memory under a flood of distinct addresses or tokens; the least recently used go first. */
const MAX_ADDRESSES = 50_000;
const MAX_KNOWN_TOKENS = 50_000;

export class CredentialGuard {
  readonly #failures = new Map<string, TokenBucket>();
  /** sha256 of recently verified tokens → their expiry (ms). */
  readonly #known = new Map<string, number>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly limits: BackoffLimits,
    private readonly onRefused: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** A TokenVerifier for requests from `address`: same results, plus back-off. */
  forAddress(address: string): TokenVerifier {
    return { verify: (token) => this.verify(address, token) };
  }

  verify(address: string, token: string | undefined | null): Promise<TokenClaims> {
    // No token at all is not a guess: it is refused by the verifier without counting.
    if (!token) return this.verifier.verify(token);
    return this.attempt(
      address,
      token,
      () => this.verifier.verify(token),
      (claims) => claims.exp * 1000,
    );
  }

  /**
   * Checks one presented credential with `check` under the address's back-off. A failure (a throw) counts;
   * a success is remembered until `validUntilMs(result)` so it passes even while the address is blocked.
   */
  async attempt<T>(
    address: string,
    credential: string,
    check: () => T | Promise<T>,
    validUntilMs: (result: T) => number,
  ): Promise<T> {
    const digest = sha256(credential);
    const knownUntil = this.#known.get(digest);
    if (knownUntil === undefined || knownUntil <= this.now()) this.check(address);
    try {
      const result = await check();
      remember(this.#known, digest, validUntilMs(result), MAX_KNOWN_TOKENS);
      return result;
    } catch (error) {
      this.fail(address);
      throw error;
    }
  }

  /** Throws `rate_limited` with a retry time when the address has used up its failures. */
  check(address: string): void {
    const bucket = this.#failures.get(address);
    if (!bucket || bucket.peek() >= 1) return;
    this.onRefused();
    const retryAfterSec = Math.max(1, Math.ceil(60 / this.limits.failuresPerMin));
    throw new AppError(
      'rate_limited',
      `too many failed sign-ins from your address; retry in ${retryAfterSec} s with a valid credential`,
      { retryAfterSec },
    );
  }

  /** Records one failed credential (a bad API key, or a token that did not verify). */
  fail(address: string): void {
    let bucket = this.#failures.get(address);
    if (!bucket) {
      bucket = new TokenBucket(this.limits.failuresPerMin / 60, this.limits.failureBurst, this.now);
      remember(this.#failures, address, bucket, MAX_ADDRESSES);
    }
    bucket.take();
  }
}

function sha256(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('base64');
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value as string);
  map.set(key, value);
}
