// Token buckets per key (a person, a platform): `ratePerSec` sustained with bursts up to `burst`. Idle keys
// are dropped so a flood of distinct keys cannot grow memory without bound.
import { AppError } from '../errors.ts';
import { TokenBucket } from '../util/TokenBucket.ts';

const MAX_KEYS = 10_000;

export class KeyedLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly message: string,
    private readonly now?: () => number,
  ) {}

  /** Throws `rate_limited` (with the seconds until the next token, sent as Retry-After) when the key has no token left. */
  take(key: string): void {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = new TokenBucket(this.ratePerSec, this.burst, this.now);
    } else {
      this.buckets.delete(key);
    }
    // Re-inserted so the Map's order is least recently used first.
    this.buckets.set(key, bucket);
    if (!bucket.take()) {
      // When the next token comes (whole seconds, as Retry-After counts them).
      const retryAfterSec = Math.max(1, Math.ceil((1 - bucket.peek()) / this.ratePerSec));
      throw new AppError('rate_limited', this.message, { retryAfterSec });
    }
  }
}
