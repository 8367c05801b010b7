// Makes a create request safe to repeat: the result of a request that carried a client-chosen id is kept for a
// while, and a repeat of that id gets the same result instead of creating a second one. A repeat is what a
// browser sends on its own when a connection drops before the answer (Chromium resends a request on a reused
// connection closed without a response, or answered 408), and what a person sends pressing Send again after an
// error that was only the network's. A repeat arriving while the first is still being handled waits for it.
// A failed request is forgotten at once, so the repeat tries again.

/** How long a result is kept for repeats: a browser resends at once, a person within a minute or so. */
export const REPEAT_WINDOW_MS = 2 * 60_000;
/**
 * Results kept at most (the oldest go first), so a flood of ids cannot grow memory without end. A chat
 * message kept here is the object its document holds, so it costs nothing more while the document is loaded.
 */
export const MAX_KEPT = 2_000;

interface Kept<T> {
  at: number;
  result: Promise<T>;
}

export class RecentSends<T> {
  readonly #kept = new Map<string, Kept<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** `create()`'s result, or the result of the earlier call with the same `key` within the window. */
  once(key: string, create: () => Promise<T>): Promise<T> {
    const now = this.now();
    this.#prune(now);
    const kept = this.#kept.get(key);
    if (kept) return kept.result;
    const result = create();
    this.#kept.set(key, { at: now, result });
    result.catch(() => {
      if (this.#kept.get(key)?.result === result) this.#kept.delete(key);
    });
    return result;
  }

  get size(): number {
    return this.#kept.size;
  }

  #prune(now: number): void {
    for (const [key, { at }] of this.#kept) {
      if (this.#kept.size < MAX_KEPT && now - at < REPEAT_WINDOW_MS) break;
      this.#kept.delete(key);
    }
  }
}
