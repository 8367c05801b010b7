// Derives edit spans (types/editSpans.ts) from logged updates: each update's per-client clock ranges (read
// with Y.parseUpdateMeta, no document needed) extend that client's open span when they follow on from it
// within SPAN_MAX_MS, else open a new one. The engines upsert what record() returns, keyed by
// (doc, client, clockFrom), with the update itself, so a span row always holds every update logged before it.
import * as Y from 'yjs';
import type { DocEditSpan } from './types/editSpans.ts';

/** A span covers at most this long: the time shown for a line is within this of when it was typed. */
export const SPAN_MAX_MS = 60_000;
/** Documents whose open spans are remembered; past it the memory starts over (new spans, nothing lost). */
const MAX_TRACKED_DOCS = 10_000;

export interface LoggedEdit {
  doc: string;
  ts: number;
  userId: string | null;
  data: Uint8Array;
}

interface OpenSpans {
  /** Each client's latest span, while it can still be extended. */
  spans: Map<number, DocEditSpan>;
  /** When spans too old to extend were last dropped (time of the edit that did it). */
  sweptAt: number;
}

export class EditSpans {
  /** Per document, each client's open span. */
  private readonly open = new Map<string, OpenSpans>();

  /** The span rows an update creates or changes (copies: safe to keep in a batch). */
  record(edit: LoggedEdit): DocEditSpan[] {
    let meta: { from: Map<number, number>; to: Map<number, number> };
    try {
      meta = Y.parseUpdateMeta(edit.data);
    } catch {
      return []; // The update checks let only valid updates through; a broken one indexes nothing.
    }
    if (meta.to.size === 0) return this.touch(edit);
    let entry = this.open.get(edit.doc);
    if (!entry) {
      if (this.open.size >= MAX_TRACKED_DOCS) this.open.clear();
      entry = { spans: new Map(), sweptAt: edit.ts };
      this.open.set(edit.doc, entry);
    }
    const spans = this.sweep(entry, edit.ts);
    const out: DocEditSpan[] = [];
    for (const [client, to] of meta.to) {
      const current = spans.get(client);
      // Clocks already indexed (a resent range) are skipped: a span is never moved back.
      const from = Math.max(
        meta.from.get(client) ?? 0,
        current && current.clockFrom <= to ? current.clockTo : 0,
      );
      if (from >= to) continue;
      const inserted = to - from;
      if (
        current &&
        current.clockTo === from &&
        current.userId === edit.userId &&
        edit.ts - current.firstTs <= SPAN_MAX_MS
      ) {
        current.clockTo = to;
        current.lastTs = Math.max(current.lastTs, edit.ts);
        current.edits++;
        current.maxInsert = Math.max(current.maxInsert, inserted);
        out.push({ ...current });
        continue;
      }
      const span: DocEditSpan = {
        doc: edit.doc,
        client,
        clockFrom: from,
        clockTo: to,
        firstTs: edit.ts,
        lastTs: edit.ts,
        userId: edit.userId,
        edits: 1,
        maxInsert: inserted,
      };
      spans.set(client, span);
      out.push({ ...span });
    }
    return out;
  }

  /** Open spans remembered for a document (what `sweep` keeps bounded). */
  openSpans(doc: string): number {
    return this.open.get(doc)?.spans.size ?? 0;
  }

  /**
   * Drops, at most once per SPAN_MAX_MS, the spans no edit can extend any more (begun more than SPAN_MAX_MS
   * ago). A document that stays loaded for hours otherwise keeps one span per client id that ever wrote in it
   * (every page load is a new client id). Forgetting one changes nothing: the client's next clocks start a new
   * span either way, and the log never carries clocks already logged (it records the document's own updates).
   */
  private sweep(entry: OpenSpans, now: number): Map<number, DocEditSpan> {
    if (now - entry.sweptAt > SPAN_MAX_MS) {
      for (const [client, span] of entry.spans) {
        if (now - span.firstTs > SPAN_MAX_MS) entry.spans.delete(client);
      }
      entry.sweptAt = now;
    }
    return entry.spans;
  }

  /** Drops what is remembered about a document (unloaded): its next edits open new spans. */
  forget(doc: string): void {
    this.open.delete(doc);
  }

  /** Drops every open span (their rows may not have been written): later edits open new spans. */
  reset(): void {
    this.open.clear();
  }

  /**
   * An update that only deletes names no client clock: it counts as an edit of its author's latest open span
   * of the document when that is recent, and is not indexed otherwise.
   */
  private touch(edit: LoggedEdit): DocEditSpan[] {
    const entry = this.open.get(edit.doc);
    if (!entry || edit.userId === null) return [];
    let latest: DocEditSpan | undefined;
    for (const span of this.sweep(entry, edit.ts).values()) {
      if (span.userId === edit.userId && (!latest || span.lastTs > latest.lastTs)) latest = span;
    }
    if (!latest || edit.ts - latest.firstTs > SPAN_MAX_MS) return [];
    latest.lastTs = Math.max(latest.lastTs, edit.ts);
    latest.edits++;
    return [{ ...latest }];
  }
}
