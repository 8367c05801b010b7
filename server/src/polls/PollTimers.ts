// One timer per open poll with a time limit: fires `onDue(pollId)` at its deadline (at once when it is past).
// Timers are unref'd so they never keep the process alive; `clear` stops them all at shutdown.
export class PollTimers {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    /** Handles its own errors. */
    private readonly onDue: (pollId: string) => Promise<void>,
    private readonly now: () => number,
  ) {}

  arm(pollId: string, dueAt: number): void {
    this.disarm(pollId);
    const timer = setTimeout(
      () => {
        this.timers.delete(pollId);
        void this.onDue(pollId);
      },
      Math.max(0, dueAt - this.now()),
    );
    timer.unref?.();
    this.timers.set(pollId, timer);
  }

  disarm(pollId: string): void {
    clearTimeout(this.timers.get(pollId));
    this.timers.delete(pollId);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
