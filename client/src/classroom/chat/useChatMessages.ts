// The messages of a chat document, live: re-read (and re-sorted) whenever the server changes the document.
import { type ChatMessage, chatMessagesMap, readChatMessages } from '@tandem/shared';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';

export function useChatMessages(doc: Y.Doc | null): ChatMessage[] {
  const [messages, setMessages] = useState<ChatMessage[]>(() => (doc ? readChatMessages(doc) : []));
  useEffect(() => {
    if (!doc) return setMessages([]);
    const map = chatMessagesMap(doc);
    const update = () => setMessages(readChatMessages(doc));
    update();
    map.observe(update);
    return () => map.unobserve(update);
  }, [doc]);
  return messages;
}

export interface Thread {
  root: ChatMessage;
  replies: ChatMessage[];
}

/** Top-level messages in order, each with its replies (a reply whose root is gone stands alone). */
export function threadsOf(messages: readonly ChatMessage[]): Thread[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const threads = new Map<string, Thread>();
  const out: Thread[] = [];
  for (const m of messages) {
    if (m.replyTo && byId.has(m.replyTo)) continue;
    const thread = { root: m, replies: [] };
    threads.set(m.id, thread);
    out.push(thread);
  }
  for (const m of messages) {
    if (m.replyTo) threads.get(m.replyTo)?.replies.push(m);
  }
  return out;
}

/** Messages after the read marker written by others and not deleted. */
export function unreadCount(messages: readonly ChatMessage[], readSeq: number, selfId: string): number {
  return messages.filter((m) => m.seq > readSeq && m.authorId !== selfId && !m.deleted).length;
}
