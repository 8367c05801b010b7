// Runs async tasks one at a time per key (tasks for different keys run concurrently). Used so that two
// peers joining the same class at once cannot create two Routers, and a leave cannot race a join.
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  get pendingKeys(): number {
    return this.#tails.size;
  }
}
