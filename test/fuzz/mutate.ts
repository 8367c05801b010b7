// Mutators over valid inputs: binary frames (bit flips, varint lies, truncation, splicing, duplication,
// random bytes) and JSON values (wrong types, huge numbers, long strings, missing keys, `__proto__` keys,
// deep nesting). Each returns the mutated input and a short name of what was done, for the findings log.
import * as encoding from 'lib0/encoding';
import type { Rng } from './prng.ts';

/** A binary frame with the byte spans of its varint fields, so a mutation can lie about one of them. */
export interface Frame {
  bytes: Uint8Array;
  varints: { offset: number; length: number }[];
}

/** An encoder that records where each varint it writes starts and ends. */
export class FrameWriter {
  private readonly e = encoding.createEncoder();
  private readonly varints: { offset: number; length: number }[] = [];

  uint(n: number): this {
    const offset = encoding.length(this.e);
    encoding.writeVarUint(this.e, n);
    this.varints.push({ offset, length: encoding.length(this.e) - offset });
    return this;
  }

  string(s: string): this {
    const offset = encoding.length(this.e);
    encoding.writeVarString(this.e, s);
    const total = encoding.length(this.e) - offset;
    const len = new TextEncoder().encode(s).length;
    this.varints.push({ offset, length: total - len });
    return this;
  }

  bytes(b: Uint8Array): this {
    this.uint(b.length);
    encoding.writeUint8Array(this.e, b);
    return this;
  }

  raw(b: Uint8Array): this {
    encoding.writeUint8Array(this.e, b);
    return this;
  }

  done(): Frame {
    return { bytes: encoding.toUint8Array(this.e), varints: this.varints };
  }
}

const INTERESTING_UINTS = [
  0,
  1,
  2,
  7,
  8,
  9,
  10,
  0x7f,
  0x80,
  0xff,
  0x3fff,
  0x4000,
  0xffff,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
];

function encodeUint(n: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, n);
  return encoding.toUint8Array(e);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export type ByteMutation = (rng: Rng, frame: Frame, other: Frame) => Uint8Array;

export const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  bitFlip(rng, { bytes }) {
    const out = bytes.slice();
    for (let i = rng.int(1, 4); i > 0 && out.length; i--)
      out[rng.int(0, out.length - 1)]! ^= 1 << rng.int(0, 7);
    return out;
  },
  interestingByte(rng, { bytes }) {
    const out = bytes.slice();
    if (out.length) out[rng.int(0, out.length - 1)] = rng.pick([0, 1, 0x7f, 0x80, 0xfe, 0xff]);
    return out;
  },
  varintLie(rng, { bytes, varints }) {
    if (!varints.length) return bytes;
    const v = rng.pick(varints);
    const lie = rng.chance(0.7) ? rng.pick(INTERESTING_UINTS) : rng.int(0, 2 ** 32);
    return concat(bytes.subarray(0, v.offset), encodeUint(lie), bytes.subarray(v.offset + v.length));
  },
  overlongVarint(rng, { bytes, varints }) {
    if (!varints.length) return bytes;
    const v = rng.pick(varints);
    // Continuation bits with nothing after them, or a ten-byte run past 2^64.
    const run = new Uint8Array(rng.pick([1, 5, 10, 12])).fill(0xff);
    return concat(bytes.subarray(0, v.offset), run, bytes.subarray(v.offset));
  },
  truncate(rng, { bytes }) {
    return bytes.subarray(0, rng.int(0, Math.max(0, bytes.length - 1)));
  },
  extend(rng, { bytes }) {
    return concat(bytes, rng.bytes(rng.size(1024)));
  },
  insertBytes(rng, { bytes }) {
    const at = rng.int(0, bytes.length);
    return concat(bytes.subarray(0, at), rng.bytes(rng.int(1, 16)), bytes.subarray(at));
  },
  deleteChunk(rng, { bytes }) {
    const at = rng.int(0, bytes.length);
    return concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + rng.int(1, 16))));
  },
  duplicateChunk(rng, { bytes }) {
    const at = rng.int(0, bytes.length);
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + rng.int(1, 32)));
    const copies = Array.from({ length: rng.pick([1, 2, 10, 100]) }, () => chunk);
    return concat(bytes.subarray(0, at), ...copies, bytes.subarray(at));
  },
  splice(rng, { bytes }, other) {
    return concat(
      bytes.subarray(0, rng.int(0, bytes.length)),
      other.bytes.subarray(rng.int(0, other.bytes.length)),
    );
  },
  randomBytes(rng) {
    return rng.bytes(rng.size(4096));
  },
};

export const BYTE_MUTATION_NAMES = Object.keys(BYTE_MUTATIONS);

export function mutateBytes(rng: Rng, frame: Frame, other: Frame): { bytes: Uint8Array; how: string } {
  const names: string[] = [];
  let current = frame;
  for (
    let i = rng.weighted([
      [6, 1],
      [3, 2],
      [1, 4],
    ]);
    i > 0;
    i--
  ) {
    const name = rng.pick(BYTE_MUTATION_NAMES);
    names.push(name);
    // Varint spans are only known for the unmutated frame; later mutations work on bytes alone.
    current = { bytes: BYTE_MUTATIONS[name]!(rng, current, other), varints: [] };
  }
  return { bytes: current.bytes, how: names.join('+') };
}

// JSON ------------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Placeholder values replaced in the serialised text by structures JSON.stringify cannot express. */
const DEEP_MARK = '\u0000deep:';

function setOwn(obj: Record<string, unknown>, key: string, value: unknown) {
  // defineProperty makes `__proto__` an ordinary own key, as JSON.parse does for a hostile body.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function junkValue(rng: Rng): Json {
  return rng.weighted<Json>([
    [2, null],
    [1, true],
    [2, rng.pick([0, -1, 1.5, -0.0001, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER])],
    [2, rng.pick(['', 'x', '\ud800', '\u0000', '../..', '%00', '<script>', '__proto__', 'constructor'])],
    [1, 'A'.repeat(rng.pick([65, 257, 4097, 100_000]))],
    [1, []],
    [1, {}],
    [1, `${DEEP_MARK}${rng.pick([100, 1000, 10_000])}`],
    [1, Array.from({ length: rng.pick([100, 10_000]) }, () => 0)],
  ]);
}

function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) for (const [i, v] of value.entries()) paths(v, [...prefix, i], out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value));
}

export const JSON_MUTATIONS = [
  'wrongType',
  'dropKey',
  'extraKey',
  'protoKey',
  'protoString',
  'wrapInArray',
] as const;
/** Strings that name Object.prototype members: a value used as a map key must not reach them. */
const PROTO_STRINGS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];

/** Mutates one to three spots of a JSON value; returns the serialised text. */
export function mutateJson(rng: Rng, value: Json): { text: string; how: string } {
  const root = { v: clone(value) } as { v: Json };
  const names: string[] = [];
  // Half the time a single leaf changes, keeping the rest valid so validation lets it through to the handler.
  const leaves = paths(root.v).filter(
    (p) => p.length && typeof p.reduce<Json>((n, k) => (n as never)[k], root.v) !== 'object',
  );
  if (leaves.length && rng.chance(0.5)) {
    const path = rng.pick(leaves);
    const parent = path.slice(0, -1).reduce<Json>((n, k) => (n as never)[k], root.v) as Record<
      string | number,
      Json
    >;
    parent[path[path.length - 1]!] = rng.chance(0.6) ? rng.pick(PROTO_STRINGS) : junkValue(rng);
    names.push(`leaf@${path.join('.')}`);
    return { text: serialise(root.v), how: names.join('+') };
  }
  for (let i = rng.int(1, 3); i > 0; i--) {
    const all = paths(root.v);
    const path = rng.pick(all);
    const parentPath = path.slice(0, -1);
    let parent: Record<string | number, Json> = root as never;
    let key: string | number = 'v';
    if (path.length) {
      parent = parentPath.reduce<Json>((node, k) => (node as never)[k], root.v) as never;
      key = path[path.length - 1]!;
    }
    const target = parent[key];
    const name = rng.pick(JSON_MUTATIONS);
    names.push(`${name}@${path.join('.') || '.'}`);
    if (name === 'wrongType') parent[key] = junkValue(rng);
    else if (name === 'dropKey' && !Array.isArray(parent)) delete parent[key];
    else if (name === 'wrapInArray') parent[key] = [target!];
    else if (name === 'protoString') parent[key] = rng.pick(PROTO_STRINGS);
    else if (target && typeof target === 'object' && !Array.isArray(target)) {
      const k =
        name === 'protoKey'
          ? rng.pick(['__proto__', 'constructor', 'prototype'])
          : rng.pick(['x', '', 'id', 'data', 'method']);
      setOwn(
        target as Record<string, unknown>,
        k,
        name === 'protoKey'
          ? rng.pick<Json>([{ polluted: true }, null, 'x', { toString: 1 }])
          : junkValue(rng),
      );
    } else parent[key] = junkValue(rng);
  }
  return { text: serialise(root.v), how: names.join('+') };
}

function serialise(value: Json): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(
    /"\\u0000deep:(\d+)"/g,
    (_m, n: string) => '['.repeat(Number(n)) + ']'.repeat(Number(n)),
  );
}

/** Text-level damage to a JSON document: truncation, a flipped character, trailing garbage. */
export function damageText(rng: Rng, text: string): { text: string; how: string } {
  const how = rng.pick(['truncate', 'flipChar', 'trailing', 'duplicateKey'] as const);
  if (how === 'truncate') return { text: text.slice(0, rng.int(0, text.length)), how };
  if (how === 'flipChar') {
    const at = rng.int(0, Math.max(0, text.length - 1));
    return { text: text.slice(0, at) + String.fromCharCode(rng.int(0, 0x7f)) + text.slice(at + 1), how };
  }
  if (how === 'trailing') return { text: text + rng.pick([',', '}', ']]', '\u0000', ' garbage', '{}']), how };
  // JSON.parse keeps the last of duplicate keys; a validator reading the first would disagree.
  return { text: text.replace(/^\{/, '{"id":1,"method":"ping",'), how };
}
