// The clock of one joined media connection's token: asks for a fresh token shortly before it expires and
// expires the connection when it does. Like the collab socket (collab/extensions/auth.ts), with one timer
// that re-arms in steps, so expiries beyond setTimeout's limit work and stop() leaves nothing behind.

/** setTimeout's limit; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Ask the client for a fresh token this long before the current one expires. */
export const REFRESH_BEFORE_EXPIRY_MS = 30_000;

export interface TokenExpiryHooks {
  /** Once per expiry (at set() when it is already that close): time to send `refreshToken`. */
  onExpiring(expiresAtMs: number): void;
  /** The token expired without a refresh; the clock has stopped. */
  onExpired(): void;
}

export class TokenExpiry {
  #timer: NodeJS.Timeout | undefined;
  #expiresAtMs = 0;
  #warned = false;
  #stopped = false;

  constructor(private readonly hooks: TokenExpiryHooks) {}

  get expiresAtMs(): number {
    return this.#expiresAtMs;
  }

  /** (Re)starts the clock for a token whose `exp` claim is `expSeconds`. */
  set(expSeconds: number): void {
    if (this.#stopped) return;
    const expiresAtMs = expSeconds * 1000;
    if (expiresAtMs !== this.#expiresAtMs) this.#warned = false;
    this.#expiresAtMs = expiresAtMs;
    this.#check();
  }

  /** Idempotent; nothing fires afterwards. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    clearTimeout(this.#timer);
    const now = Date.now();
    const expiresAt = this.#expiresAtMs;
    if (now >= expiresAt) {
      this.stop();
      this.hooks.onExpired();
      return;
    }
    const warnAt = expiresAt - REFRESH_BEFORE_EXPIRY_MS;
    if (!this.#warned && now >= warnAt) {
      this.#warned = true;
      this.hooks.onExpiring(expiresAt);
      if (this.#stopped) return;
    }
    const next = this.#warned ? expiresAt : warnAt;
    // Not unref'd: a cleared unref'd timer leaves Node's list for its (per-connection) duration behind until
    // that duration has passed (see collab/extensions/auth.ts); stop() clears this one when the peer leaves.
    this.#timer = setTimeout(() => this.#check(), Math.min(next - now, MAX_TIMER_MS));
  }
}
