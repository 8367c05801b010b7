// Raised hands: anyone but observers raises and lowers their own hand during a live session; staff see the
// ordered queue and lower anyone's. Hands raised in a breakout room join the main class's queue.
import { type HandEntry, isStaff, type UserIdentity } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { AttendanceStore } from './AttendanceStore.ts';
import type { BreakoutStore } from './BreakoutStore.ts';
import type { ClassNotifier } from './ClassNotifier.ts';
import type { HandStore } from './HandStore.ts';
import { isStaffPrincipal, type Principal } from './principal.ts';
import type { SessionStore } from './SessionStore.ts';

export interface Actor {
  id: string;
  name: string;
}

export class HandService {
  constructor(
    private readonly hands: HandStore,
    private readonly sessions: SessionStore,
    private readonly attendance: AttendanceStore,
    private readonly breakouts: BreakoutStore,
    private readonly notifier: ClassNotifier,
    /** The main class and its open breakout groups: where a class's people may be connected. */
    private readonly audienceOf: (rootClassId: string) => string[],
  ) {}

  raise(user: UserIdentity): HandEntry[] {
    if (user.role === 'observer') throw new AppError('forbidden', 'observers cannot raise a hand');
    const root = this.breakouts.rootOf(user.classId);
    const session = this.sessions.live(root);
    if (!session) throw new AppError('conflict', 'the class is not live; hands open when the session starts');
    const person = { id: user.id, name: user.name, role: user.role };
    const groupId = this.breakouts.group(user.classId)?.groupId ?? null;
    if (this.hands.raise(root, session.id, person, groupId)) {
      this.attendance.countHand(session.id, person);
      this.published(root, [user.id], true, null);
    }
    return this.visibleQueue(root, user);
  }

  /** Lowers `userId`'s hand: their own, or anyone's for staff. */
  lower(principal: Principal, classId: string, userId: string): HandEntry[] {
    const root = this.breakouts.rootOf(classId);
    const actor = actorOf(principal);
    if (actor.id !== userId && !isStaffPrincipal(principal)) {
      throw new AppError('forbidden', "only instructors and assistants can lower someone else's hand");
    }
    if (this.hands.lower(root, userId, actor.id)) {
      this.published(root, [userId], false, actor.id === userId ? null : actor.name);
    }
    return principal.kind === 'user' ? this.visibleQueue(root, principal.user) : this.hands.queue(root);
  }

  /** Staff only (checked by the route). */
  lowerAll(principal: Principal, classId: string): HandEntry[] {
    const root = this.breakouts.rootOf(classId);
    const actor = actorOf(principal);
    const lowered = this.hands.lowerAll(root, actor.id);
    if (lowered.length > 0) this.published(root, lowered, false, actor.name);
    return [];
  }

  /** Staff see the queue; anyone else sees only their own hand. */
  visibleQueue(rootClassId: string, user: UserIdentity | null): HandEntry[] {
    const queue = this.hands.queue(rootClassId);
    if (!user || isStaff(user.role)) return queue;
    return queue.filter((h) => h.userId === user.id);
  }

  isRaised(rootClassId: string, userId: string): boolean {
    return this.hands.isRaised(rootClassId, userId);
  }

  private published(root: string, userIds: string[], raised: boolean, byName: string | null): void {
    const queue = this.hands.queue(root);
    for (const classId of this.audienceOf(root)) {
      this.notifier.toStaff(classId, { type: 'hands', queue });
      for (const userId of userIds) this.notifier.toUser(classId, userId, { type: 'hand', raised, byName });
    }
  }
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'user'
    ? { id: principal.user.id, name: principal.user.name }
    : { id: 'platform', name: 'the course platform' };
}
