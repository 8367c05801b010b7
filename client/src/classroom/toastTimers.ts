// When each toast goes: one timer per toast, started when it is first shown. Its time does not start again when
// other toasts come or go (a busy class would otherwise keep an old toast up for as long as new ones arrive).

export interface TimedToast {
  id: string;
  kind: 'announcement' | 'info';
}

/** How long a toast stays unless dismissed: an announcement 20 s, any other class event 6 s. */
export const TOAST_TIMEOUT_MS = { announcement: 20_000, info: 6_000 } as const;

export class ToastTimers {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly expire: (id: string) => void) {}

  /** Starts a timer for each toast shown for the first time, and stops those of toasts no longer shown. */
  sync(shown: readonly TimedToast[]): void {
    const ids = new Set<string>();
    for (const toast of shown) {
      ids.add(toast.id);
      if (this.#timers.has(toast.id)) continue;
      const timer = setTimeout(() => {
        this.#timers.delete(toast.id);
        this.expire(toast.id);
      }, TOAST_TIMEOUT_MS[toast.kind]);
      this.#timers.set(toast.id, timer);
    }
    for (const [id, timer] of this.#timers) {
      if (ids.has(id)) continue;
      clearTimeout(timer);
      this.#timers.delete(id);
    }
  }

  /** Stops every timer (the toasts are gone with their page). */
  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
