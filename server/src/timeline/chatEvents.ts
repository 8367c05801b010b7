// A chat room's timeline events, derived from the room as it is now and its audit (every edit and delete leaves
// the old text there, ChatService.ts): a message's text at any moment is the old text of its next audit entry,
// or its text now. Moderation applies as of now: a message deleted since is shown as its tombstone in every
// event, never with the text it had.
import type { ChatMessage, TimelineEvent } from '@tandem/shared';
import type { AuditEntry } from '../storage/types/chat.ts';

type ChatEvent = Extract<TimelineEvent, { kind: 'chat' }>;

export interface ChatRoomSource {
  /** The chat document, e.g. `<classId>/chat/main`. */
  document: string;
  room: string;
  messages: readonly ChatMessage[];
  /** The room's audit entries, oldest first. */
  audit: readonly AuditEntry[];
}

export function chatEvents(source: ChatRoomSource, from: number, to: number): ChatEvent[] {
  const byMessage = new Map<string, AuditEntry[]>();
  for (const entry of source.audit) {
    const list = byMessage.get(entry.messageId);
    if (list) list.push(entry);
    else byMessage.set(entry.messageId, [entry]);
  }
  const events: ChatEvent[] = [];
  const inRange = (at: number) => at >= from && at <= to;
  const base = `chat:${source.document}:`;
  for (const now of source.messages) {
    const audits = byMessage.get(now.id) ?? [];
    const edits = audits.filter((a) => a.action === 'edit');
    // The text after the i-th edit (-1: as posted) is the old text the next audit entry saved.
    const textAfter = (i: number) => {
      const next = audits.indexOf(edits[i]!) + 1;
      return i < 0 ? (audits[0]?.oldText ?? now.text) : (audits[next]?.oldText ?? now.text);
    };
    const view = (text: string, editedAt: number | null): ChatMessage =>
      now.deleted ? now : { ...now, text, editedAt };
    const event = (suffix: string, at: number, data: ChatEvent['data']): ChatEvent => ({
      id: `${base}${now.id}:${suffix}`,
      at,
      kind: 'chat',
      actor:
        data.action === 'deleted' && now.deleted
          ? { id: now.deleted.byId, name: now.deleted.byName }
          : { id: now.authorId, name: now.authorName },
      data,
    });
    if (inRange(now.ts)) {
      events.push(
        event('0', now.ts, {
          action: 'posted',
          room: source.room,
          document: source.document,
          message: view(textAfter(-1), null),
        }),
      );
    }
    edits.forEach((edit, i) => {
      if (!inRange(edit.at)) return;
      events.push(
        event(`e${edit.id}`, edit.at, {
          action: 'edited',
          room: source.room,
          document: source.document,
          message: view(textAfter(i), edit.at),
        }),
      );
    });
    if (now.deleted && inRange(now.deleted.at)) {
      events.push(
        event('x', now.deleted.at, {
          action: 'deleted',
          room: source.room,
          document: source.document,
          message: now,
        }),
      );
    }
  }
  return events;
}
