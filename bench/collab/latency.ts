// Edit-to-peer latency bookkeeping. Each keystroke advances its sender's Yjs clock by exactly one, so
// (sender clientID, clock) names an edit; a receiver's transaction says which clocks it just integrated
// (beforeState -> afterState). Senders and receivers share one process clock (performance.now()).
import type * as Y from 'yjs';

/** Log-bucketed histogram (1 % relative resolution): percentiles of millions of samples in a few KB. */
export class Histogram {
  private static readonly GROWTH = 1.01;
  private static readonly LOG_GROWTH = Math.log(Histogram.GROWTH);
  /** Bucket 0 holds everything below 1 µs; bucket i >= 1 holds [GROWTH^(i-1), GROWTH^i) µs. */
  private counts = new Float64Array(2400);
  count = 0;
  sum = 0;
  max = 0;

  add(ms: number): void {
    const us = ms * 1000;
    const bucket =
      us < 1 ? 0 : Math.min(this.counts.length - 1, 1 + Math.floor(Math.log(us) / Histogram.LOG_GROWTH));
    this.counts[bucket]! += 1;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** The q-quantile in ms (upper edge of its bucket, capped at the largest sample), or NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, i === 0 ? 0.001 : Histogram.GROWTH ** i / 1000);
    }
    return this.max;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      meanMs: this.count ? this.sum / this.count : Number.NaN,
      p50Ms: this.quantile(0.5),
      p90Ms: this.quantile(0.9),
      p99Ms: this.quantile(0.99),
      p999Ms: this.quantile(0.999),
      maxMs: this.count ? this.max : Number.NaN,
    };
  }
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

interface PendingEdit {
  sentAtMs: number;
  peersLeft: number;
  slowestMs: number;
}

export class DeliveryTracker {
  /** Every (edit, peer) arrival. */
  readonly perPeer = new Histogram();
  /** Per edit, the arrival at its last peer: edit-to-every-peer latency. */
  readonly allPeers = new Histogram();
  editsTracked = 0;
  deliveriesExpected = 0;
  private readonly pending = new Map<number, Map<number, PendingEdit>>();
  private open = 0;

  /** Tracks one edit sent at `sentAtMs` whose update took clock `clock` of `clientId`. */
  trackSend(clientId: number, clock: number, sentAtMs: number, peers: number): void {
    if (peers <= 0) return;
    let edits = this.pending.get(clientId);
    if (!edits) {
      edits = new Map();
      this.pending.set(clientId, edits);
    }
    edits.set(clock, { sentAtMs, peersLeft: peers, slowestMs: 0 });
    this.editsTracked++;
    this.deliveriesExpected += peers;
    this.open++;
  }

  /** Call from a receiver's `afterTransaction` for remote transactions. */
  observe(transaction: Y.Transaction, nowMs: number): void {
    for (const [clientId, after] of transaction.afterState) {
      const before = transaction.beforeState.get(clientId) ?? 0;
      if (after <= before) continue;
      const edits = this.pending.get(clientId);
      if (!edits) continue;
      for (let clock = before; clock < after; clock++) {
        const edit = edits.get(clock);
        if (!edit) continue;
        const ms = nowMs - edit.sentAtMs;
        this.perPeer.add(ms);
        if (ms > edit.slowestMs) edit.slowestMs = ms;
        if (--edit.peersLeft === 0) {
          this.allPeers.add(edit.slowestMs);
          edits.delete(clock);
          this.open--;
        }
      }
    }
  }

  /** Edits some peer has not seen yet. */
  get openEdits(): number {
    return this.open;
  }
}
