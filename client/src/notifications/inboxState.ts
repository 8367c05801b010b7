// The inbox as the page holds it: the newest notifications (newest first, each once) and the unread count,
// changed by a load from the server, a live arrival and read marks. Pure, so it is tested without a DOM.
import type { UserNotification } from '@tandem/shared';

/** How many the page asks for and keeps; older ones stay on the server. */
export const INBOX_PAGE_SIZE = 50;

export interface InboxState {
  items: readonly UserNotification[];
  unreadCount: number;
  /** False until the first load: what arrives before it is not "new since last time". */
  loaded: boolean;
}

export const EMPTY_INBOX: InboxState = { items: [], unreadCount: 0, loaded: false };

/**
 * After a load: the server's page and count, plus the unread ones the page did not know yet (missed while it
 * was away, e.g. offline) when this is not the first load.
 */
export function withLoaded(
  state: InboxState,
  reply: { notifications: readonly UserNotification[]; unreadCount: number },
): { state: InboxState; missed: UserNotification[] } {
  const known = new Set(state.items.map((n) => n.id));
  const missed = state.loaded ? reply.notifications.filter((n) => n.readAt === null && !known.has(n.id)) : [];
  // Live arrivals newer than the page the server answered with are kept (the request may predate them).
  const newest = reply.notifications[0]?.id ?? 0;
  const newer = state.items.filter((n) => n.id > newest);
  const items = [...newer, ...reply.notifications].slice(0, INBOX_PAGE_SIZE);
  const unreadCount = reply.unreadCount + newer.filter((n) => n.readAt === null).length;
  return { state: { items, unreadCount, loaded: true }, missed: missed.reverse() };
}

/** A notification pushed live; null when the page has it already. */
export function withArrived(state: InboxState, n: UserNotification): InboxState | null {
  if (state.items.some((item) => item.id === n.id)) return null;
  const items = [...state.items, n].sort((a, b) => b.id - a.id).slice(0, INBOX_PAGE_SIZE);
  return { ...state, items, unreadCount: state.unreadCount + (n.readAt === null ? 1 : 0) };
}

/** Marks some (or all) read locally, as the server will. */
export function withRead(state: InboxState, ids: readonly number[] | 'all', at: number): InboxState {
  if (ids === 'all') {
    return { ...state, items: state.items.map((n) => (n.readAt ? n : { ...n, readAt: at })), unreadCount: 0 };
  }
  const marking = new Set(ids);
  let marked = 0;
  const items = state.items.map((n) => {
    if (!marking.has(n.id) || n.readAt !== null) return n;
    marked++;
    return { ...n, readAt: at };
  });
  return { ...state, items, unreadCount: Math.max(0, state.unreadCount - marked) };
}

/**
 * Where the page should take someone who opens a notification: the chat, at a message, or the Polls tab
 * (`nonce`: each time).
 */
export type ChatFocus = { messageId: string; nonce: number } | { pollId: string; nonce: number };

export function chatFocusOf(n: UserNotification, nonce: number): ChatFocus | null {
  if (n.link?.type === 'chat') return { messageId: n.link.messageId, nonce };
  if (n.link?.type === 'poll') return { pollId: n.link.pollId, nonce };
  return null;
}
