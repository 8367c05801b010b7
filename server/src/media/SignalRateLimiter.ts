// Per-connection flood control for media signaling: a token bucket for requests, and a strike count so
// a client that keeps sending after being told to slow down is disconnected instead of served errors.
import { TokenBucket } from '../util/TokenBucket.ts';

export interface SignalRateLimits {
  ratePerSec: number;
  /** Joining a full class means consuming every producer in it: the burst must cover that. */
  burst: number;
  /** Refused requests in a row after which the connection is closed. */
  maxStrikes: number;
}

export const DEFAULT_SIGNAL_LIMITS: SignalRateLimits = Object.freeze({
  ratePerSec: 50,
  burst: 500,
  maxStrikes: 100,
});

export type RateVerdict = 'ok' | 'limited' | 'disconnect';

export class SignalRateLimiter {
  readonly #bucket: TokenBucket;
  #strikes = 0;

  constructor(
    readonly limits: SignalRateLimits = DEFAULT_SIGNAL_LIMITS,
    now?: () => number,
  ) {
    this.#bucket = new TokenBucket(limits.ratePerSec, limits.burst, now);
  }

  check(): RateVerdict {
    if (this.#bucket.take()) {
      this.#strikes = 0;
      return 'ok';
    }
    this.#strikes++;
    return this.#strikes > this.limits.maxStrikes ? 'disconnect' : 'limited';
  }

  describe(): string {
    return `at most ${this.limits.ratePerSec} media requests/s (bursts of ${this.limits.burst})`;
  }
}
