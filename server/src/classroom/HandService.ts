// Raised hands: anyone but observers raises and lowers their own hand during a live session; staff see the
// ordered queue and lower anyone's. Hands raised in a breakout room join the main class's queue.
import { type HandEntry, isStaff, type UserIdentity } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { AttendanceStorage } from '../storage/types/attendance.ts';
import type { BreakoutStorage } from '../storage/types/breakouts.ts';
import type { HandStorage } from '../storage/types/hands.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import type { ClassNotifier } from './ClassNotifier.ts';
import type { ClassRoots } from './ClassRoots.ts';
import { isStaffPrincipal, type Principal } from './principal.ts';

export interface Actor {
  id: string;
  name: string;
}

export class HandService {
  constructor(
    private readonly hands: HandStorage,
    private readonly sessions: Pick<SessionStorage, 'live'>,
    private readonly attendance: Pick<AttendanceStorage, 'countHand'>,
    private readonly breakouts: Pick<BreakoutStorage, 'group'>,
    private readonly roots: Pick<ClassRoots, 'rootOf'>,
    private readonly notifier: ClassNotifier,
    /** The main class and its open breakout groups: where a class's people may be connected. */
    private readonly audienceOf: (rootClassId: string) => Promise<string[]>,
  ) {}

  async raise(user: UserIdentity): Promise<HandEntry[]> {
    if (user.role === 'observer') throw new AppError('forbidden', 'observers cannot raise a hand');
    const root = await this.roots.rootOf(user.classId);
    const session = await this.sessions.live(root);
    if (!session) throw new AppError('conflict', 'the class is not live; hands open when the session starts');
    const person = { id: user.id, name: user.name, role: user.role };
    const groupId = (await this.breakouts.group(user.classId))?.groupId ?? null;
    if (await this.hands.raise(root, session.id, person, groupId)) {
      await this.attendance.countHand(session.id, person);
      await this.published(root, [user.id], true, null);
    }
    return this.visibleQueue(root, user);
  }

  /** Lowers `userId`'s hand: their own, or anyone's for staff. */
  async lower(principal: Principal, classId: string, userId: string): Promise<HandEntry[]> {
    const root = await this.roots.rootOf(classId);
    const actor = actorOf(principal);
    if (actor.id !== userId && !isStaffPrincipal(principal)) {
      throw new AppError('forbidden', "only instructors and assistants can lower someone else's hand");
    }
    if (await this.hands.lower(root, userId, actor.id)) {
      await this.published(root, [userId], false, actor.id === userId ? null : actor.name);
    }
    return principal.kind === 'user' ? this.visibleQueue(root, principal.user) : this.hands.queue(root);
  }

  /** Staff only (checked by the route). */
  async lowerAll(principal: Principal, classId: string): Promise<HandEntry[]> {
    const root = await this.roots.rootOf(classId);
    const actor = actorOf(principal);
    const lowered = await this.hands.lowerAll(root, actor.id);
    if (lowered.length > 0) await this.published(root, lowered, false, actor.name);
    return [];
  }

  /** Staff see the queue; anyone else sees only their own hand. */
  async visibleQueue(rootClassId: string, user: UserIdentity | null): Promise<HandEntry[]> {
    const queue = await this.hands.queue(rootClassId);
    if (!user || isStaff(user.role)) return queue;
    return queue.filter((h) => h.userId === user.id);
  }

  isRaised(rootClassId: string, userId: string): Promise<boolean> {
    return this.hands.isRaised(rootClassId, userId);
  }

  private async published(
    root: string,
    userIds: string[],
    raised: boolean,
    byName: string | null,
  ): Promise<void> {
    const queue = await this.hands.queue(root);
    for (const classId of await this.audienceOf(root)) {
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
