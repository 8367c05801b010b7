// Plain records keyed by user-chosen strings (user ids, names, keys from JSON): `__proto__`, `constructor` and
// `toString` are ordinary keys in them, never Object.prototype members.

/** An empty record without a prototype: writing `__proto__` stores a value, reading `constructor` finds none. */
export function keyedRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** The record's own value at `key` (a record parsed from JSON still inherits `constructor` and the rest). */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
