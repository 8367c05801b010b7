// The SQLite stores are synchronous (better-sqlite3); the storage contracts are asynchronous. This turns a
// synchronous store into its asynchronous contract: each listed method returns a promise of its result, and a
// thrown error becomes a rejection, as it would from an engine over the network.

type Method = (...args: never[]) => unknown;

export type AsyncFacade<T, K extends keyof T> = {
  [P in K]: T[P] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

export function asyncFacade<T extends object, K extends keyof T>(
  target: T,
  methods: readonly K[],
): AsyncFacade<T, K> {
  const facade: Record<PropertyKey, Method> = {};
  for (const name of methods) {
    const fn = target[name] as Method;
    facade[name] = (...args) => {
      try {
        return Promise.resolve(fn.apply(target, args));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }
  return facade as AsyncFacade<T, K>;
}
