// Who may read and write which document: the table from the README, as a pure function shared by the
// server (which enforces it) and the client (which shows read-only states).
import type { DocumentName } from './documentName.ts';
import { isStaff, type Role } from './roles.ts';

/** Class-wide switches that change student permissions while a class is live. */
export interface ClassLocks {
  codeLocked: boolean;
  boardLocked: boolean;
  /** A workspace (`ws` key = user id) the staff put in the spotlight: readable by the whole class. */
  spotlightUserId?: string | null;
}

export const DEFAULT_LOCKS: ClassLocks = Object.freeze({ codeLocked: false, boardLocked: false });

export type Access = 'write' | 'read' | 'none';

export interface Subject {
  userId: string;
  role: Role;
  classId: string;
  /** The main class of a breakout group's token (its `classId` is the group's); unset or equal elsewhere. */
  rootClassId?: string;
}

export function documentAccess(subject: Subject, doc: DocumentName, locks: ClassLocks): Access {
  if (subject.classId !== doc.classId) return mainClassAccess(subject, doc);
  const staff = isStaff(subject.role);
  switch (doc.kind) {
    case 'code':
      if (staff) return 'write';
      if (subject.role === 'student') return locks.codeLocked ? 'read' : 'write';
      return 'read';
    case 'ws':
      if (staff || doc.key === subject.userId) return 'write';
      return locks.spotlightUserId === doc.key ? 'read' : 'none';
    case 'board':
      if (staff) return 'write';
      if (subject.role === 'student') return locks.boardLocked ? 'read' : 'write';
      return 'read';
    case 'chat':
      // Chat is written through the server's API only, never over sync.
      return 'read';
    default: {
      const unreachable: never = doc.kind;
      return unreachable;
    }
  }
}

/**
 * A breakout group's token on its main class's documents: the person's own workspace (a student has one
 * workspace per main class, wherever they are) and the main class's code, read-only. Nothing else.
 */
function mainClassAccess(subject: Subject, doc: DocumentName): Access {
  const root = subject.rootClassId;
  if (!root || root === subject.classId || doc.classId !== root) return 'none';
  if (doc.kind === 'ws') return doc.key === subject.userId ? 'write' : 'none';
  if (doc.kind === 'code' && doc.key === 'main') return 'read';
  return 'none';
}
