// Notices a connection that went quiet without closing (the network dropped; a closed socket is noticed
// anyway): after PROBE_AFTER_SILENCE_MS without a message it sends a probe the server always answers, and if
// nothing comes back within STALL_AFTER_PROBE_MS it reports a stall, so the page says "Offline" in seconds
// instead of after the socket's timeout. A later message ends the stall. The probe itself is the caller's
// (CollabSession renews its presence, which the server echoes to every connection, the sender's included).
// Time is injectable for tests.

export const PROBE_AFTER_SILENCE_MS = 4000;
export const STALL_AFTER_PROBE_MS = 4000;
export const CHECK_EVERY_MS = 1000;

export interface HeartbeatOptions {
  /** Sends a probe; false when there is nothing to probe with (no document open yet). */
  probe(): boolean;
  onStall(): void;
  now?: () => number;
}

export class Heartbeat {
  readonly #now: () => number;
  #lastHeard: number;
  #probeSentAt: number | null = null;
  #stalled = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: HeartbeatOptions) {
    this.#now = options.now ?? Date.now;
    this.#lastHeard = this.#now();
  }

  get stalled(): boolean {
    return this.#stalled;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.check(), CHECK_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A message arrived (or the socket just opened). */
  heard(): void {
    this.#lastHeard = this.#now();
    this.#probeSentAt = null;
    this.#stalled = false;
  }

  check(): void {
    const now = this.#now();
    if (this.#probeSentAt !== null && now - this.#probeSentAt >= STALL_AFTER_PROBE_MS) {
      if (!this.#stalled) {
        this.#stalled = true;
        this.options.onStall();
      }
      this.#probeSentAt = null; // probe again, so a connection that recovers is noticed
    }
    if (this.#probeSentAt === null && now - this.#lastHeard >= PROBE_AFTER_SILENCE_MS) {
      if (this.options.probe()) this.#probeSentAt = now;
    }
  }
}
