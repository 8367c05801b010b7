// Plays one document along the replay clock. A seek loads the document as it was at t (`/at`) into a fresh
// Y.Doc; while the clock moves forward, the log's updates are fetched a little ahead (`/updates`) and each is
// applied when the clock passes its time, keystroke by keystroke. Moving backwards, or forwards past what has
// been fetched, is a seek. Answers that arrive after a newer seek are dropped.
//
// Seeks are coalesced (a dragged slider or a held key asks for dozens a second; the server allows 10 a second):
// at most one request is in flight per document, and while one is, only the latest target is remembered and
// asked for when it returns. A refusal for the rate (429) is retried once, after the server's Retry-After.
import * as Y from 'yjs';

export interface TimedUpdate {
  seq: number;
  ts: number;
  userId: string | null;
  update: Uint8Array;
}

/** Where a player reads the document from (the REST API on the page, a fake in tests). */
export interface DocSource {
  at(t: number): Promise<{ seq: number; update: Uint8Array }>;
  updates(after: number, until: number): Promise<{ updates: TimedUpdate[]; more: boolean }>;
}

/** Waited before retrying a 429 without a Retry-After, and the longest wait a Retry-After may ask for. */
export const DEFAULT_RETRY_MS = 1000;
export const MAX_RETRY_MS = 10_000;

/** The wait a rate refusal asks for (an error with `status` 429 and `retryAfterSec`), or null for any other error. */
export function rateLimitWait(error: unknown): number | null {
  const e = error as { status?: unknown; retryAfterSec?: unknown } | null;
  if (e?.status !== 429) return null;
  const sec = typeof e.retryAfterSec === 'number' ? e.retryAfterSec : null;
  return sec === null ? DEFAULT_RETRY_MS : Math.min(MAX_RETRY_MS, Math.max(0, sec * 1000));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How far ahead of the clock updates are fetched while playing. */
export const LOOKAHEAD_MS = 10_000;
/** A forward jump longer than this is a seek (one `/at`) rather than a stream of updates. */
export const MAX_STREAM_JUMP_MS = 30_000;

export interface PlayerState {
  doc: Y.Doc;
  /** The time the document shows (the clock's time once caught up). */
  time: number;
  /** The last update applied. */
  seq: number;
  /** A seek is loading. */
  loading: boolean;
  error: string | null;
}

export type AppliedListener = (update: TimedUpdate, doc: Y.Doc) => void;

/** The origin of transactions the player applies (listeners can tell replayed updates from anything else). */
export const REPLAY_ORIGIN = Symbol('replay');

export class DocPlayer {
  #doc = new Y.Doc();
  #time = Number.NEGATIVE_INFINITY;
  #seq = 0;
  #loading = false;
  #error: string | null = null;
  /** Bumped by every seek; answers of an older generation are dropped. */
  #generation = 0;
  /** Updates fetched and not yet applied, in seq order. */
  #queue: TimedUpdate[] = [];
  /** Everything up to this time (and after `#seq`/the queue's last) has been fetched. */
  #fetchedUntil = Number.NEGATIVE_INFINITY;
  #fetching = false;
  /** A fetch failed: no more until the next seek (no hammering a failing server every frame). */
  #fetchFailed = false;
  /** The target time of the latest seek or advance. */
  #target = Number.NEGATIVE_INFINITY;
  /** The time of the latest seek (what `/at` is asked for next). */
  #seekTime = Number.NEGATIVE_INFINITY;
  /** The seek loop is running (a request of it in flight or waiting to retry), and its end. */
  #seeking = false;
  #seekDone: Promise<void> = Promise.resolve();
  /** An `/updates` request in flight: a seek waits for it, so one request at a time per document. */
  #updatesInFlight: Promise<unknown> | null = null;
  readonly #listeners = new Set<() => void>();
  readonly #applied = new Set<AppliedListener>();
  #destroyed = false;
  #applying: TimedUpdate | null = null;
  #snapshot: PlayerState | null = null;

  constructor(
    readonly name: string,
    private readonly source: DocSource,
    /** Waits before a retry (a fake in tests). */
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  /** The same object until something changes (a React external store snapshot). */
  get state(): PlayerState {
    this.#snapshot ??= {
      doc: this.#doc,
      time: this.#time,
      seq: this.#seq,
      loading: this.#loading,
      error: this.#error,
    };
    return this.#snapshot;
  }

  /** The logged update being applied right now (its author), for observers of the doc. */
  get applying(): TimedUpdate | null {
    return this.#applying;
  }

  get doc(): Y.Doc {
    return this.#doc;
  }

  /** Called on every change of state (a new doc, an update applied, loading). */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called after each logged update is applied (for authors' cursors). */
  onApplied(listener: AppliedListener): () => void {
    this.#applied.add(listener);
    return () => this.#applied.delete(listener);
  }

  /**
   * Loads the document as it was at `t` into a fresh Y.Doc. While an earlier seek's request is in flight this
   * only replaces the target; the promise settles when the latest target is shown (or failed).
   */
  seek(t: number): Promise<void> {
    if (this.#destroyed) return Promise.resolve();
    if (t === this.#target && (this.#loading || t === this.#time)) return this.#seekDone;
    this.#generation++;
    this.#target = t;
    this.#seekTime = t;
    this.#queue = [];
    this.#fetching = false;
    this.#fetchFailed = false;
    this.#loading = true;
    this.#emit();
    if (!this.#seeking) {
      this.#seeking = true;
      this.#seekDone = this.#runSeeks();
    }
    return this.#seekDone;
  }

  /** Asks for the latest seek's time until an answer arrives that no newer seek has overtaken. */
  async #runSeeks(): Promise<void> {
    let answer: { at: { seq: number; update: Uint8Array }; t: number } | null = null;
    let retried = false;
    try {
      while (!this.#destroyed) {
        // One request at a time: an `/updates` fetch of the previous position finishes first (its answer is
        // dropped: the generation moved on).
        if (this.#updatesInFlight) await this.#updatesInFlight.catch(() => undefined);
        const generation = this.#generation;
        const t = this.#seekTime;
        try {
          const at = await this.source.at(t);
          if (generation === this.#generation) {
            answer = { at, t };
            break;
          }
          // Overtaken: the latest target is asked for next.
          retried = false;
        } catch (error) {
          if (this.#destroyed) return;
          const wait = rateLimitWait(error);
          // Refused for the rate: wait as asked, then ask for the latest target; the same target only once.
          if (wait !== null && (!retried || generation !== this.#generation)) {
            retried = true;
            await this.wait(wait);
            continue;
          }
          // Another failure, or a second refusal: a newer target is still worth asking for.
          if (generation !== this.#generation) continue;
          this.#loading = false;
          this.#error = (error as Error).message;
          this.#emit();
          return;
        }
      }
    } finally {
      // Cleared before the answer is shown: showing it may seek again (the clock moved far while loading).
      this.#seeking = false;
    }
    if (answer && !this.#destroyed) this.#show(answer.at, answer.t);
  }

  #show(at: { seq: number; update: Uint8Array }, t: number): void {
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, at.update, REPLAY_ORIGIN);
    } catch (error) {
      doc.destroy();
      this.#loading = false;
      this.#error = (error as Error).message;
      this.#emit();
      return;
    }
    const old = this.#doc;
    this.#doc = doc;
    this.#seq = at.seq;
    this.#time = t;
    this.#fetchedUntil = t;
    this.#error = null;
    this.#loading = false;
    this.#emit();
    old.destroy();
    // The clock may have moved on while loading.
    if (this.#target > t) this.advance(this.#target);
  }

  /**
   * The clock moved to `t` while playing: applies the fetched updates up to `t` and fetches ahead. Going back,
   * or further forward than updates can be streamed, seeks instead.
   */
  advance(t: number): void {
    if (this.#destroyed) return;
    if (this.#loading) {
      if (t >= this.#target) {
        this.#target = t;
        return;
      }
      void this.seek(t);
      return;
    }
    if (t < this.#time || t - this.#time > MAX_STREAM_JUMP_MS) {
      void this.seek(t);
      return;
    }
    this.#target = t;
    this.#applyUpTo(t);
    if (this.#fetchedUntil < t + LOOKAHEAD_MS / 2) void this.#fetchAhead(t + LOOKAHEAD_MS);
  }

  destroy(): void {
    this.#destroyed = true;
    this.#generation++;
    this.#listeners.clear();
    this.#applied.clear();
    this.#doc.destroy();
  }

  #applyUpTo(t: number): void {
    // Only as far as what has been fetched: the document never claims a time it does not show.
    const reach = Math.min(t, this.#fetchedUntil);
    let changed = reach > this.#time;
    while (this.#queue.length > 0 && this.#queue[0]!.ts <= reach) {
      const next = this.#queue.shift()!;
      this.#applying = next;
      try {
        Y.applyUpdate(this.#doc, next.update, REPLAY_ORIGIN);
      } finally {
        this.#applying = null;
      }
      this.#seq = next.seq;
      changed = true;
      for (const listener of this.#applied) listener(next, this.#doc);
    }
    if (reach > this.#time) this.#time = reach;
    if (changed) this.#emit();
  }

  async #fetchAhead(until: number): Promise<void> {
    if (this.#fetching || this.#fetchFailed || this.#updatesInFlight) return;
    this.#fetching = true;
    const generation = this.#generation;
    try {
      const after = this.#queue.at(-1)?.seq ?? this.#seq;
      const reply = await this.#updatesOnce(after, until, generation);
      if (generation !== this.#generation || this.#destroyed) return;
      this.#queue.push(...reply.updates.filter((u) => u.seq > after));
      // A page cut short by the limit covers only up to its last update.
      this.#fetchedUntil = reply.more
        ? Math.max(this.#fetchedUntil, (reply.updates.at(-1)?.ts ?? 0) - 1)
        : until;
      this.#fetching = false;
      this.#applyUpTo(this.#target);
      if (this.#fetchedUntil < this.#target + LOOKAHEAD_MS / 2)
        void this.#fetchAhead(this.#target + LOOKAHEAD_MS);
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#fetching = false;
      this.#fetchFailed = true;
      this.#error = (error as Error).message;
      this.#emit();
    } finally {
      if (generation === this.#generation) this.#fetching = false;
    }
  }

  /** One `/updates` request (retried once after a 429), registered as the one in flight. */
  #updatesOnce(after: number, until: number, generation: number) {
    const request = (async () => {
      try {
        return await this.source.updates(after, until);
      } catch (error) {
        const wait = rateLimitWait(error);
        if (wait === null || generation !== this.#generation) throw error;
        await this.wait(wait);
        if (generation !== this.#generation) throw error;
        return await this.source.updates(after, until);
      }
    })();
    const inFlight = request.finally(() => {
      if (this.#updatesInFlight === inFlight) this.#updatesInFlight = null;
    });
    this.#updatesInFlight = inFlight;
    return inFlight;
  }

  #emit(): void {
    this.#snapshot = null;
    for (const listener of this.#listeners) listener();
  }
}
