// "Who wrote this", per line of a file: walks the items of the file's Y.Text (each item carries the client id
// and clock it was written under) and looks each character up in the document's edit spans and client-id
// bindings (for the server's own client ids, the user the update log names). A line is attributed to its
// most recently written character, not counting its line break, so pressing Enter at the end of someone's
// line does not take the line from them.
import * as Y from 'yjs';
import { SERVER_WRITER } from '../collab/UpdateGate.ts';
import type { EditSpan } from '../storage/types/editSpans.ts';

export interface LineAuthor {
  /** 1-based line number. */
  line: number;
  userId: string | null;
  /** When the attributed character was written (the start of its span, within a minute), or null if unknown. */
  ts: number | null;
}

export interface Attribution {
  userId: string | null;
  ts: number | null;
}

/** Who wrote a span: its client id's owner, or for the server's own client ids the user the log names. */
export function authorOf(span: EditSpan, owners: ReadonlyMap<number, string | null>): string | null {
  const bound = owners.get(span.client) ?? null;
  return bound !== null && bound !== SERVER_WRITER ? bound : span.userId;
}

/** Finds the span holding a (client, clock) in O(log n); built once per request. */
export class SpanIndex {
  private readonly byClient = new Map<number, EditSpan[]>();

  constructor(
    spans: readonly EditSpan[],
    private readonly owners: ReadonlyMap<number, string | null>,
  ) {
    for (const span of spans) {
      const list = this.byClient.get(span.client);
      if (list) list.push(span);
      else this.byClient.set(span.client, [span]);
    }
    for (const list of this.byClient.values()) list.sort((a, b) => a.clockFrom - b.clockFrom);
  }

  /** Who wrote (client, clock), and the clock range [from, to) the same answer holds for. */
  lookup(client: number, clock: number): Attribution & { from: number; to: number } {
    const bound = this.owners.get(client) ?? null;
    // The server writes (restores, REST edits) under its own client ids for whoever asked: the log names them.
    const owner = bound === SERVER_WRITER ? null : bound;
    const list = this.byClient.get(client);
    let lo = 0;
    let hi = (list?.length ?? 0) - 1;
    while (list && lo <= hi) {
      const mid = (lo + hi) >> 1;
      const span = list[mid]!;
      if (clock < span.clockFrom) hi = mid - 1;
      else if (clock >= span.clockTo) lo = mid + 1;
      else return { userId: owner ?? span.userId, ts: span.firstTs, from: span.clockFrom, to: span.clockTo };
    }
    return { userId: owner, ts: null, from: clock, to: clock + 1 };
  }
}

/** A run of characters of a Y.Text written under one client id from one clock on. */
export interface TextRun {
  client: number;
  clock: number;
  str: string;
}

/** The visible text of `text` as runs of characters with the ids they were written under. */
export function textRuns(text: Y.Text): TextRun[] {
  const runs: TextRun[] = [];
  // The item list (_start, right) is how Yjs itself walks a type; each item keeps the id it was written under.
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    runs.push({ client: item.id.client, clock: item.id.clock, str: item.content.str });
  }
  return runs;
}

/** Per line of the text `runs` make up, who wrote it and when. */
export function blameRuns(runs: readonly TextRun[], index: SpanIndex): LineAuthor[] {
  const lines: LineAuthor[] = [];
  let best: Attribution | null = null;
  const endLine = () => {
    lines.push({ line: lines.length + 1, userId: best?.userId ?? null, ts: best?.ts ?? null });
    best = null;
  };
  for (const { client, clock, str } of runs) {
    let found: ReturnType<SpanIndex['lookup']> | null = null;
    for (let i = 0; i < str.length; i++) {
      if (str.charCodeAt(i) === 10) {
        endLine();
        continue;
      }
      // Consecutive characters mostly share a span: look up again only when the clock leaves it.
      if (found === null || clock + i >= found.to) found = index.lookup(client, clock + i);
      if (best === null || (found.ts ?? -1) > (best.ts ?? -1)) best = found;
    }
  }
  endLine();
  return lines;
}
