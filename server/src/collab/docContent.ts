// Generic Yjs content helpers: a JSON view of a document (for reading versions) and a non-destructive
// restore that edits the live document until its content equals a version's (a new update on top).
import * as Y from 'yjs';

type Root = Y.Text | Y.Map<unknown> | Y.Array<unknown> | Y.XmlFragment;

/** Top-level types of a document decoded from an update, with their concrete Yjs type restored. */
export function rootsOf(doc: Y.Doc): Map<string, Root> {
  const roots = new Map<string, Root>();
  for (const [name, type] of doc.share) {
    roots.set(name, concreteRoot(doc, name, type));
  }
  return roots;
}

// biome-ignore lint/suspicious/noExplicitAny: Yjs types its share map with AbstractType<any>.
function concreteRoot(doc: Y.Doc, name: string, type: Y.AbstractType<any>): Root {
  if (
    type instanceof Y.Text ||
    type instanceof Y.Map ||
    type instanceof Y.Array ||
    type instanceof Y.XmlFragment
  )
    return type;
  // A type only seen through an update is untyped until asked for: infer from its content.
  if (type._map.size > 0) return doc.getMap(name);
  const first = type._start;
  if (
    first &&
    (first.content instanceof Y.ContentString ||
      first.content instanceof Y.ContentFormat ||
      first.content instanceof Y.ContentEmbed)
  ) {
    return doc.getText(name);
  }
  return doc.getArray(name);
}

export function docToJson(update: Uint8Array): Record<string, unknown> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return docJson(doc);
  } finally {
    doc.destroy();
  }
}

/** The JSON view of a document already in memory (docToJson without decoding it again). */
export function docJson(doc: Y.Doc): Record<string, unknown> {
  // Root names come from clients' updates: a null prototype keeps `__proto__` an ordinary key.
  const out: Record<string, unknown> = Object.create(null);
  for (const [name, root] of rootsOf(doc)) out[name] = typeJson(root);
  return out;
}

/**
 * Yjs's toJSON without its plain `{}`: map keys come from clients too, and a `__proto__` key would set the
 * result's prototype (and vanish from the reply) instead of being an ordinary key.
 */
// biome-ignore lint/suspicious/noExplicitAny: Yjs types nested types with AbstractType<any>.
function typeJson(type: Y.AbstractType<any>): unknown {
  if (type instanceof Y.Map) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, value] of type.entries()) out[key] = valueJson(value);
    return out;
  }
  if (type instanceof Y.Array) return type.toArray().map(valueJson);
  return type.toJSON(); // Y.Text and XML types: their text
}

function valueJson(value: unknown): unknown {
  return value instanceof Y.AbstractType ? typeJson(value) : value;
}

/** Makes `live` equal to the content of `versionState`, inside the caller's transaction. */
export function restoreContent(live: Y.Doc, versionState: Uint8Array): void {
  const version = new Y.Doc();
  try {
    Y.applyUpdate(version, versionState);
    const versionRoots = rootsOf(version);
    for (const [name, liveRoot] of rootsOf(live)) {
      if (!versionRoots.has(name)) clearRoot(liveRoot);
    }
    for (const [name, source] of versionRoots) {
      if (source instanceof Y.Text) syncText(live.getText(name), source.toString());
      else if (source instanceof Y.Map) syncMap(live.getMap(name), source);
      else if (source instanceof Y.Array) syncArray(live.getArray(name), source);
    }
  } finally {
    version.destroy();
  }
}

function clearRoot(root: Root): void {
  if (root instanceof Y.Text) root.delete(0, root.length);
  else if (root instanceof Y.Map) for (const key of [...root.keys()]) root.delete(key);
  else if (root instanceof Y.Array || root instanceof Y.XmlFragment) root.delete(0, root.length);
}

/** Replaces only the changed middle of a text, so cursors and attribution elsewhere survive. */
function syncText(target: Y.Text, text: string): void {
  const current = target.toString();
  if (current === text) return;
  let start = 0;
  while (start < current.length && start < text.length && current[start] === text[start]) start++;
  let end = 0;
  while (
    end < current.length - start &&
    end < text.length - start &&
    current[current.length - 1 - end] === text[text.length - 1 - end]
  )
    end++;
  target.delete(start, current.length - start - end);
  target.insert(start, text.slice(start, text.length - end));
}

function syncMap(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
  for (const [key, value] of source.entries()) {
    const existing = target.get(key);
    if (value instanceof Y.Text && existing instanceof Y.Text) syncText(existing, value.toString());
    else if (value instanceof Y.Map && existing instanceof Y.Map) syncMap(existing, value);
    else if (value instanceof Y.Array && existing instanceof Y.Array) syncArray(existing, value);
    else if (!sameValue(existing, value)) target.set(key, cloneValue(value));
  }
}

function syncArray(target: Y.Array<unknown>, source: Y.Array<unknown>): void {
  if (JSON.stringify(typeJson(target)) === JSON.stringify(typeJson(source))) return;
  target.delete(0, target.length);
  target.insert(0, source.toArray().map(cloneValue));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Y.AbstractType || b instanceof Y.AbstractType) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function cloneValue(value: unknown): unknown {
  if (value instanceof Y.Text) return new Y.Text(value.toString());
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    for (const [k, v] of value.entries()) map.set(k, cloneValue(v));
    return map;
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>();
    array.insert(0, value.toArray().map(cloneValue));
    return array;
  }
  return value;
}
