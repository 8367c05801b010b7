// Who may look back at a class: its recordings and its session replays share one setting (issue #17). Staff
// and course platforms always may; students and observers when the class's `replayForStudents` allows it, or,
// while the class leaves it unset (null), when the server default (RECORDINGS_STUDENTS_MAY_WATCH) does.
import type { ClassInfo } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { ClassStorage } from '../storage/types/classes.ts';
import { isStaffPrincipal, type Principal, requireMember } from './principal.ts';

/** Whether students and observers of a class may replay it (`info` null: a class with no row yet). */
export function studentsMayReplay(info: Pick<ClassInfo, 'replayForStudents'> | null, serverDefault: boolean) {
  return info?.replayForStudents ?? serverDefault;
}

export interface ReplayAccess {
  /**
   * Refuses anyone but staff, platforms and (when the class allows it) its students and observers. `classId`
   * is the main class (recordings and sessions belong to it).
   */
  require(principal: Principal, classId: string, what: string): Promise<void>;
}

export function createReplayAccess(classes: Pick<ClassStorage, 'get'>, serverDefault: boolean): ReplayAccess {
  return {
    async require(principal, classId, what) {
      requireMember(principal, classId);
      if (isStaffPrincipal(principal)) return;
      if (studentsMayReplay(await classes.get(classId), serverDefault)) return;
      throw new AppError('forbidden', `only instructors and assistants can ${what} of this class`);
    },
  };
}
