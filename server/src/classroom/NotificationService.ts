// Turns class events into each person's notifications: who gets one for an announcement, an @mention, a reply
// to their thread, the class starting or a poll starting (never the one who caused it), stored first, in one
// batch per event, then pushed to the open pages of each recipient; and each person's inbox (read, mark read).
import {
  type ClassNoticeInput,
  excerpt,
  MAIN_CHAT_ROOM,
  type MarkNotificationsBody,
  type NotificationsQuery,
  type NotificationsReply,
  type Role,
  type UserNotification,
} from '@tandem/shared';
import type { Logger } from '../logger.ts';
import type { AttendanceStorage } from '../storage/types/attendance.ts';
import type { ClassStorage } from '../storage/types/classes.ts';
import type { NewNotification, NotificationStorage } from '../storage/types/notifications.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import type { ClassEventMap, ClassEvents } from './ClassEvents.ts';
import type { ClassNotifier } from './ClassNotifier.ts';
import type { PresenceTracker } from './PresenceTracker.ts';

export interface NotificationServiceDeps {
  store: NotificationStorage;
  classes: Pick<ClassStorage, 'roster'>;
  tracker: Pick<PresenceTracker, 'present'>;
  sessions: Pick<SessionStorage, 'live'>;
  attendance: Pick<AttendanceStorage, 'people'>;
  notifier: Pick<ClassNotifier, 'toEachUser'>;
  /** Every class id of a main class's pages: the main class and its open breakout groups. */
  audienceOf(rootClassId: string): Promise<string[]>;
  log: Logger;
  now?: () => number;
}

interface Member {
  id: string;
  role: Role;
}

type Draft = Omit<NewNotification, 'userId'>;

/** Told of each stored batch after it was pushed to the pages open here (a cluster relays it to the others). */
export type StoredListener = (rootClassId: string, stored: readonly UserNotification[]) => void;

export class NotificationService {
  private readonly now: () => number;
  /** Per main class, the handling under way: a class's events are stored in the order they happened. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly storedListeners: StoredListener[] = [];

  constructor(private readonly deps: NotificationServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Subscribes to the class events; returns the unsubscribe function. */
  listen(events: Pick<ClassEvents, 'on'>): () => void {
    const offs = [
      events.on('announcement', (e) => this.inOrder(e.classId, () => this.handleAnnouncement(e))),
      events.on('chatPosted', (e) => this.inOrder(e.rootClassId, () => this.handleChatPosted(e))),
      events.on('sessionStarted', (e) => this.inOrder(e.classId, () => this.handleSessionStarted(e))),
      events.on('pollStarted', (e) => this.inOrder(e.classId, () => this.handlePollStarted(e))),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /**
   * Runs a class's handlers one after another (a session start and the announcement right after it are
   * stored in that order, though finding the recipients takes each its own time); a failure is the caller's
   * (ClassEvents logs it) and does not stop the queue.
   */
  private inOrder(rootClassId: string, run: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(rootClassId) ?? Promise.resolve()).catch(() => {}).then(run);
    this.queues.set(rootClassId, next);
    const forget = () => {
      if (this.queues.get(rootClassId) === next) this.queues.delete(rootClassId);
    };
    next.then(forget, forget);
    return next;
  }

  /** Everyone of the class (roster, present, attending the live session) but the one who announced. */
  async handleAnnouncement(e: ClassEventMap['announcement']): Promise<void> {
    const members = await this.membersOf(e.classId);
    await this.deliver(e.classId, e.at, without(members, e.by.id), {
      kind: 'announcement',
      title: excerpt(`Announcement from ${e.by.name}`, 120),
      text: excerpt(e.text),
      link: null,
    });
  }

  /**
   * The people a message @mentions (in a class's or group's main room: a pair room's text is for the pair) and
   * the author of the thread it replies to; one notification each, a mention before a reply, never the author.
   */
  async handleChatPosted(e: ClassEventMap['chatPosted']): Promise<void> {
    const { message } = e;
    const link = { type: 'chat' as const, classId: e.classId, room: e.room, messageId: message.id };
    const text = excerpt(message.text);
    const mentioned = new Set(e.room === MAIN_CHAT_ROOM ? message.mentions : []);
    mentioned.delete(message.authorId);
    const entries: NewNotification[] = [...mentioned].map((userId) => ({
      userId,
      kind: 'mention',
      title: excerpt(`${message.authorName} mentioned you`, 120),
      text,
      link,
    }));
    const threadAuthor = e.threadAuthorId;
    if (threadAuthor && threadAuthor !== message.authorId && !mentioned.has(threadAuthor)) {
      entries.push({
        userId: threadAuthor,
        kind: 'reply',
        title: excerpt(`${message.authorName} replied to your thread`, 120),
        text,
        link,
      });
    }
    await this.store(e.rootClassId, message.ts, entries);
  }

  /** Everyone of the class but the one who started it. */
  async handleSessionStarted(e: ClassEventMap['sessionStarted']): Promise<void> {
    const members = await this.membersOf(e.classId);
    await this.deliver(e.classId, e.at, without(members, e.byId), {
      kind: 'classStarted',
      title: 'Class started',
      text: 'The session is live.',
      link: { type: 'session', sessionId: e.sessionId },
    });
  }

  /** The students of the class (the ones a poll asks). */
  async handlePollStarted(e: ClassEventMap['pollStarted']): Promise<void> {
    const students = (await this.membersOf(e.classId)).filter((m) => m.role === 'student');
    await this.deliver(e.classId, e.at, without(students, e.byId), {
      kind: 'pollStarted',
      title: 'Poll started',
      text: excerpt(e.title),
      link: { type: 'poll', pollId: e.pollId },
    });
  }

  /** Calls `listener` with each batch stored here, after its push to the pages open here. */
  onStored(listener: StoredListener): void {
    this.storedListeners.push(listener);
  }

  /**
   * Pushes stored notifications of a main class to whichever of their recipients' pages are open here (the
   * class's main room and breakout groups); nothing when none is.
   */
  async pushToOpenPages(rootClassId: string, stored: readonly UserNotification[]): Promise<void> {
    const byUser = new Map<string, UserNotification>();
    for (const n of stored) byUser.set(n.userId, n);
    for (const classId of await this.deps.audienceOf(rootClassId)) {
      this.deps.notifier.toEachUser(classId, (userId): ClassNoticeInput | null => {
        const notification = byUser.get(userId);
        return notification ? { type: 'notification', notification } : null;
      });
    }
  }

  /** A person's own notifications in a main class, newest first, with how many are unread. */
  async inbox(rootClassId: string, userId: string, query: NotificationsQuery): Promise<NotificationsReply> {
    return this.deps.store.inbox(rootClassId, userId, query);
  }

  /** Marks some of a person's own notifications read (ids of anyone else's are ignored), or all of them. */
  async markRead(rootClassId: string, userId: string, body: MarkNotificationsBody) {
    const at = this.now();
    const marked =
      'all' in body
        ? await this.deps.store.markAllRead(rootClassId, userId, at)
        : await this.deps.store.markRead(rootClassId, userId, body.ids, at);
    return { marked, unreadCount: await this.deps.store.unreadCount(rootClassId, userId) };
  }

  private async deliver(
    rootClassId: string,
    at: number,
    recipients: readonly Member[],
    draft: Draft,
  ): Promise<void> {
    await this.store(
      rootClassId,
      at,
      recipients.map((m) => ({ userId: m.id, ...draft })),
    );
  }

  /**
   * Stored first (someone away reads it later), then pushed to whichever pages recipients have open. `at` is
   * when the event happened.
   */
  private async store(rootClassId: string, at: number, entries: readonly NewNotification[]): Promise<void> {
    if (entries.length === 0) return;
    const stored = await this.deps.store.add(rootClassId, entries, at);
    await this.pushToOpenPages(rootClassId, stored);
    for (const listener of this.storedListeners) listener(rootClassId, stored);
    this.deps.log.debug({ classId: rootClassId, recipients: stored.length }, 'notifications stored');
  }

  /** The roster, everyone present and everyone who attended the live session, once each. */
  private async membersOf(rootClassId: string): Promise<Member[]> {
    const members = new Map<string, Member>();
    const live = await this.deps.sessions.live(rootClassId);
    const [roster, attendees] = await Promise.all([
      this.deps.classes.roster(rootClassId),
      live ? this.deps.attendance.people(live.id) : Promise.resolve([]),
    ]);
    for (const m of roster) members.set(m.userId, { id: m.userId, role: m.role });
    for (const a of attendees) members.set(a.userId, { id: a.userId, role: a.role });
    for (const p of this.deps.tracker.present(rootClassId)) members.set(p.id, { id: p.id, role: p.role });
    return [...members.values()];
  }
}

function without(members: readonly Member[], authorId: string | null): Member[] {
  return authorId === null ? [...members] : members.filter((m) => m.id !== authorId);
}
