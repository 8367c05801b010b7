// The client's inbox rules without a DOM: loads, live arrivals and read marks (each notification once, the
// unread count kept right, what was missed while away found on a reload), when browser notifications may be
// offered and shown, which embed notifications the panel toasts already, and the embed event's schema.
import { embedEvent, parseEmbedEvent, type UserNotification } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { panelToasts } from '../../../client/src/embed/useEmbedNotifications.ts';
import { ASKED_KEY, mayOffer, shouldNotify } from '../../../client/src/notifications/desktopNotifications.ts';
import {
  chatFocusOf,
  EMPTY_INBOX,
  withArrived,
  withLoaded,
  withRead,
} from '../../../client/src/notifications/inboxState.ts';

const n = (id: number, readAt: number | null = null): UserNotification => ({
  id,
  userId: 'ana',
  classId: 'c1',
  kind: 'announcement',
  title: `t${id}`,
  text: 'x',
  link: null,
  createdAt: id,
  readAt,
});

describe('inbox state', () => {
  it('the first load reports nothing as missed; a reload reports the unread ones the page did not have', () => {
    const first = withLoaded(EMPTY_INBOX, { notifications: [n(2), n(1, 5)], unreadCount: 1 });
    expect(first.missed).toEqual([]);
    expect(first.state).toMatchObject({ unreadCount: 1, loaded: true });
    const again = withLoaded(first.state, {
      notifications: [n(5), n(4, 9), n(3), n(2), n(1, 5)],
      unreadCount: 3,
    });
    expect(again.missed.map((x) => x.id)).toEqual([3, 5]);
    expect(again.state.items.map((x) => x.id)).toEqual([5, 4, 3, 2, 1]);
    expect(again.state.unreadCount).toBe(3);
  });

  it('keeps a live arrival newer than the page a slower load answered with', () => {
    const loaded = withLoaded(EMPTY_INBOX, { notifications: [n(1)], unreadCount: 1 }).state;
    const live = withArrived(loaded, n(3))!;
    const late = withLoaded(live, { notifications: [n(2), n(1)], unreadCount: 2 });
    expect(late.state.items.map((x) => x.id)).toEqual([3, 2, 1]);
    expect(late.state.unreadCount).toBe(3);
  });

  it('adds a live arrival once, in order, counting it unread', () => {
    const loaded = withLoaded(EMPTY_INBOX, { notifications: [n(4), n(2)], unreadCount: 2 }).state;
    const arrived = withArrived(loaded, n(3))!;
    expect(arrived.items.map((x) => x.id)).toEqual([4, 3, 2]);
    expect(arrived.unreadCount).toBe(3);
    expect(withArrived(arrived, n(3))).toBeNull();
  });

  it('marks one (once) or all read', () => {
    const loaded = withLoaded(EMPTY_INBOX, { notifications: [n(3), n(2), n(1, 1)], unreadCount: 2 }).state;
    const one = withRead(loaded, [2, 1], 10);
    expect(one.unreadCount).toBe(1);
    expect(one.items.map((x) => x.readAt)).toEqual([null, 10, 1]);
    expect(withRead(one, [2], 11).unreadCount).toBe(1);
    const all = withRead(one, 'all', 12);
    expect(all.unreadCount).toBe(0);
    expect(all.items.map((x) => x.readAt)).toEqual([12, 10, 1]);
  });

  it('opens the chat at the message for chat notifications, the Polls tab for poll ones', () => {
    const chat = { ...n(1), link: { type: 'chat' as const, classId: 'c1', room: 'main', messageId: 'm1' } };
    expect(chatFocusOf(chat, 7)).toEqual({ messageId: 'm1', nonce: 7 });
    expect(chatFocusOf(n(1), 7)).toBeNull();
    // A poll notification opens the Polls tab.
    const poll = { ...n(2), kind: 'pollStarted' as const, link: { type: 'poll' as const, pollId: 'poll-1' } };
    expect(chatFocusOf(poll, 8)).toEqual({ pollId: 'poll-1', nonce: 8 });
  });
});

describe('browser notifications', () => {
  const storage = (asked: boolean) => ({ getItem: (k: string) => (asked && k === ASKED_KEY ? 'yes' : null) });

  it('are offered once, only while the browser has not decided, never in a frame', () => {
    expect(mayOffer('default', storage(false), false)).toBe(true);
    expect(mayOffer('default', storage(true), false)).toBe(false);
    expect(mayOffer('granted', storage(false), false)).toBe(false);
    expect(mayOffer('denied', storage(false), false)).toBe(false);
    expect(mayOffer('unsupported', storage(false), false)).toBe(false);
    expect(mayOffer('default', storage(false), true)).toBe(false);
  });

  it('are shown only for a hidden page with permission, never in a frame', () => {
    expect(shouldNotify({ hidden: true, permission: 'granted', framed: false })).toBe(true);
    expect(shouldNotify({ hidden: false, permission: 'granted', framed: false })).toBe(false);
    expect(shouldNotify({ hidden: true, permission: 'default', framed: false })).toBe(false);
    expect(shouldNotify({ hidden: true, permission: 'granted', framed: true })).toBe(false);
  });
});

describe('embed notifications', () => {
  it('toast in the page unless the classroom panel toasts that kind already', () => {
    expect(panelToasts('all', 'announcement')).toBe(true);
    expect(panelToasts('all', 'classStarted')).toBe(true);
    expect(panelToasts('all', 'mention')).toBe(false);
    expect(panelToasts('editor', 'announcement')).toBe(false);
  });

  it('post a notification event the host can parse', () => {
    const event = embedEvent({
      type: 'notification',
      notification: { id: 1, kind: 'mention', title: 'Ben mentioned you', text: 'hi @ana', createdAt: 5 },
      unreadCount: 2,
    });
    expect(parseEmbedEvent(JSON.parse(JSON.stringify(event)))).toMatchObject({ ok: true, value: event });
    expect(parseEmbedEvent({ ...event, unreadCount: -1 })).toMatchObject({ ok: false, foreign: false });
  });
});
