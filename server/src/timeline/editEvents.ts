// The `edit` events of a page: log entries of the session's readable documents (code, workspaces, boards),
// read per document from the page's start position, at most `limit` each, merged by the caller. An edit's id
// is `edit:<document>:<seq, zero-padded>`, so within one document (at, id) order is the log's order.
import type { TimelineEvent } from '@tandem/shared';
import type { TimelineStorage } from '../storage/types/timeline.ts';
import type { SessionScope } from './sessionScope.ts';
import type { Position } from './timelineCursor.ts';

type EditEvent = Extract<TimelineEvent, { kind: 'edit' }>;

const SEQ_DIGITS = 12;

export const editId = (doc: string, seq: number) => `edit:${doc}:${String(seq).padStart(SEQ_DIGITS, '0')}`;

export async function editEvents(
  timeline: Pick<TimelineStorage, 'logEntries'>,
  scope: SessionScope,
  range: { from: number; to: number },
  after: Position | null,
  limit: number,
  names: Record<string, string>,
): Promise<EditEvent[]> {
  const events: EditEvent[] = [];
  for (const doc of scope.documents) {
    if (doc.kind === 'chat') continue;
    const start = startFor(doc.name, range.from, after);
    if (start === null) continue;
    for (const entry of await timeline.logEntries(doc.name, range.to, start, limit)) {
      events.push({
        id: editId(doc.name, entry.seq),
        at: entry.ts,
        kind: 'edit',
        actor: entry.userId === null ? null : { id: entry.userId, name: names[entry.userId] ?? null },
        data: { document: doc.name, docKind: doc.kind, seq: entry.seq, bytes: entry.bytes },
      });
    }
  }
  return events;
}

/**
 * The (ts, seq) position after which this document's entries come after `after`, or null for none at all:
 * entries at a later time, or at the cursor's time with an id after the cursor's.
 */
function startFor(doc: string, from: number, after: Position | null): { ts: number; seq: number } | null {
  if (after === null || after.at < from) return { ts: from, seq: -1 };
  const prefix = `edit:${doc}:`;
  if (after.id.startsWith(prefix)) {
    const seq = Number(after.id.slice(prefix.length));
    return { ts: after.at, seq: Number.isSafeInteger(seq) ? seq : Number.MAX_SAFE_INTEGER };
  }
  // Every id of this document sorts on the same side of the cursor's id.
  return prefix > after.id ? { ts: after.at, seq: -1 } : { ts: after.at, seq: Number.MAX_SAFE_INTEGER };
}
