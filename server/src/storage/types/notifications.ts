// The notification storage contract: each person's inbox in a main class (notifications/kinds in
// @tandem/shared), newest first, with read marks. Only the newest NOTIFICATIONS_KEPT_PER_USER of a person in a
// class are kept: adding prunes the older ones, so an inbox cannot grow without bound.
import type { NotificationKind, NotificationLink, UserNotification } from '@tandem/shared';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  title: string;
  text: string;
  link: NotificationLink;
}

export interface NotificationPage {
  /** Only ids greater than this (what is new since). */
  after?: number;
  /** Only ids smaller than this (the next older page). */
  before?: number;
  limit: number;
}

export interface NotificationStorage {
  /**
   * Stores one notification per entry (one transaction, whatever the number of recipients) at time `at`, then
   * prunes each recipient's inbox in the class to its newest NOTIFICATIONS_KEPT_PER_USER (or the cap the store was
   * built with). Returns the stored rows in input order.
   */
  add(classId: string, entries: readonly NewNotification[], at: number): Promise<UserNotification[]>;
  unreadCount(classId: string, userId: string): Promise<number>;
  /**
   * A page of a person's notifications in a class, newest first, and their `unreadCount`, read together as of
   * one moment (never a page and a count apart).
   */
  inbox(
    classId: string,
    userId: string,
    page: NotificationPage,
  ): Promise<{ notifications: UserNotification[]; unreadCount: number }>;
  /** Marks those of `ids` that are this person's and unread; returns how many it marked. */
  markRead(classId: string, userId: string, ids: readonly number[], at: number): Promise<number>;
  /** Marks every unread notification of this person in the class; returns how many. */
  markAllRead(classId: string, userId: string, at: number): Promise<number>;
}
