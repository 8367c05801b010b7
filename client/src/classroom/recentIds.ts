// The ids of the last few things passed on, to pass each on once however many ways it arrives.

export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly limit: number) {}

  /** Remembers `id` (forgetting the oldest past the limit); false when it was already remembered. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}
