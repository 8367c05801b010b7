// Who may join which call of their class (media asks at every join): nobody removed from the class; a pair's
// room only by those who may open that pair's code document (the editor's own rule) and never for the class's
// own `main` document; a breakout group's call only while the group is open, and only by its members and staff.
import {
  documentAccess,
  formatDocumentName,
  isStaff,
  type RoomScope,
  type UserIdentity,
} from '@tandem/shared';
import type { ClassLockRegistry } from '../collab/ClassLocks.ts';
import { AppError } from '../errors.ts';
import type { RoomAdmission } from '../media/index.ts';
import type { BreakoutStorage } from '../storage/types/breakouts.ts';
import type { Removals } from './Removals.ts';

/** The code key of a class's own document (the class page's editor). */
const MAIN_DOCUMENT_KEY = 'main';

export interface RoomAdmissionDeps {
  removals: Pick<Removals, 'check'>;
  breakouts: Pick<BreakoutStorage, 'group' | 'groups'>;
  locks: Pick<ClassLockRegistry, 'load'>;
}

export function createRoomAdmission(deps: RoomAdmissionDeps): RoomAdmission {
  return {
    async admit(user, scope) {
      await deps.removals.check(user);
      await checkGroup(deps, user);
      if (scope.kind === 'pair') await checkPair(deps, user, scope);
    },
  };
}

async function checkPair(
  deps: RoomAdmissionDeps,
  user: UserIdentity,
  scope: Extract<RoomScope, { kind: 'pair' }>,
): Promise<void> {
  if (scope.key === MAIN_DOCUMENT_KEY) {
    throw new AppError('bad_request', 'pair:main is the class’s own document; join room "main" instead');
  }
  const doc = { classId: user.classId, kind: 'code' as const, key: scope.key };
  const locks = await deps.locks.load(user.classId);
  const subject = { userId: user.id, role: user.role, classId: user.classId };
  if (documentAccess(subject, doc, locks) === 'none') {
    throw new AppError(
      'forbidden',
      `you may not open ${formatDocumentName(doc)}, so not its pair call either`,
    );
  }
}

async function checkGroup(deps: RoomAdmissionDeps, user: UserIdentity): Promise<void> {
  const group = await deps.breakouts.group(user.classId);
  if (!group) return;
  if (group.state === 'closed') {
    throw new AppError('forbidden', 'this breakout room is closed; go back to the main class');
  }
  if (isStaff(user.role)) return;
  const members = (await deps.breakouts.groups(group.setId)).find((g) => g.classId === user.classId)?.members;
  if (!members?.some((m) => m.id === user.id)) {
    throw new AppError('forbidden', `you are not in breakout group ${group.name}; ask staff to move you`);
  }
}
