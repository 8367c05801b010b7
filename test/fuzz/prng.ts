// A small seeded PRNG (mulberry32) with the helpers the fuzzer draws from. Every fuzz case is derived from
// (seed, target, batch, case index) alone, so a finding's seed regenerates the same case.
//
// Why not fast-check: its strength is shrinking a failing property, but a fuzz case here is a sequence of
// network frames against a live server whose failure is often observed later (a crash, a diverged document),
// so shrinking by re-running would need a fresh server per attempt. A 30-line PRNG keeps cases plain data
// (hex frames, raw HTTP) written to a reproducer file, and adds no dependency to the shared lockfile.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A child generator for one labelled stream (target, batch, case), independent of draw order elsewhere. */
  static derive(seed: number, ...labels: (string | number)[]): Rng {
    let h = (seed ^ 0x9e3779b9) >>> 0;
    for (const label of labels) {
      for (const ch of String(label)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
      h = Math.imul(h ^ 0x2f, 0x01000193) >>> 0;
    }
    return new Rng(h);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((s, [w]) => s + w, 0);
    let r = this.next() * total;
    for (const [w, v] of choices) {
      r -= w;
      if (r < 0) return v;
    }
    return choices[choices.length - 1]![1];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** A size biased towards small values and boundaries, sometimes large. */
  size(max: number): number {
    return this.weighted([
      [6, this.int(0, 8)],
      [3, this.int(0, 128)],
      [1, this.pick([0, 127, 128, 255, 256, 16383, 16384, 65535, 65536].filter((n) => n <= max))],
      [1, this.int(0, max)],
    ]);
  }
}
