// What a session covers and what of it a caller may see: its time range on the server clock, its class ids
// (the class and its breakout groups), the documents changed within the range, each with a title, and the
// filter that keeps a student to the documents they may read now (shared/src/permissions.ts).
import {
  type DocKind,
  documentAccess,
  isStaff,
  parseDocumentName,
  type ReplayDocument,
  type SessionInfo,
  type TimelineSessionInfo,
} from '@tandem/shared';
import type { ClassRoots } from '../classroom/ClassRoots.ts';
import type { Principal } from '../classroom/principal.ts';
import type { ClassLockRegistry } from '../collab/ClassLocks.ts';
import { AppError } from '../errors.ts';
import type { BreakoutStorage } from '../storage/types/breakouts.ts';
import type { TimelineStorage } from '../storage/types/timeline.ts';

export interface SessionScope {
  session: TimelineSessionInfo;
  /** The session's time range, inclusive. */
  from: number;
  to: number;
  /** The class, then its breakout groups, with their display names. */
  classes: { classId: string; name: string | null }[];
  /** Documents with log entries in the range that the caller may read, by name. */
  documents: ReplayDocument[];
  /** Whether the caller may read a document of the session (`mayRead` below), for events naming one. */
  mayRead(name: string): Promise<boolean>;
}

export interface ScopeDeps {
  timeline: Pick<TimelineStorage, 'logStats' | 'breakoutSets'>;
  breakouts: Pick<BreakoutStorage, 'groups'>;
  locks: Pick<ClassLockRegistry, 'load'>;
  roots: Pick<ClassRoots, 'rootOf'>;
}

export function timelineSession(session: SessionInfo): TimelineSessionInfo {
  if (session.startedAt === null) {
    throw new AppError('conflict', 'this session has not started yet: it has no timeline');
  }
  const startedAt = Date.parse(session.startedAt);
  const endedAt = session.endedAt === null ? null : Date.parse(session.endedAt);
  return { id: session.id, classId: session.classId, title: session.title, startedAt, endedAt };
}

/**
 * Whether the caller may read `name` in a replay: as they may read it now, and for staff of a main class also
 * its breakout groups' documents (platforms read everything).
 */
export async function mayRead(
  principal: Principal,
  name: string,
  deps: Pick<ScopeDeps, 'locks' | 'roots'>,
): Promise<boolean> {
  if (principal.kind === 'platform') return true;
  const parsed = parseDocumentName(name);
  if (!parsed.ok) return false;
  const { user } = principal;
  if (user.classId !== parsed.value.classId) {
    return isStaff(user.role) && (await deps.roots.rootOf(parsed.value.classId)) === user.classId;
  }
  const access = documentAccess(
    { userId: user.id, role: user.role, classId: user.classId },
    parsed.value,
    await deps.locks.load(parsed.value.classId),
  );
  return access !== 'none';
}

export async function sessionScope(
  deps: ScopeDeps,
  principal: Principal,
  sessionInfo: SessionInfo,
  names: Record<string, string>,
  now: number,
): Promise<SessionScope> {
  const session = timelineSession(sessionInfo);
  const from = session.startedAt;
  const to = session.endedAt ?? now;
  const classes: SessionScope['classes'] = [{ classId: session.classId, name: null }];
  for (const set of await deps.timeline.breakoutSets(session.id)) {
    for (const group of await deps.breakouts.groups(set.id)) {
      classes.push({ classId: group.classId, name: group.name });
    }
  }
  const documents: ReplayDocument[] = [];
  for (const { classId, name: group } of classes) {
    for (const stats of await deps.timeline.logStats(`${classId}/`, from, to)) {
      const parsed = parseDocumentName(stats.doc);
      if (!parsed.ok) continue;
      if (!(await mayRead(principal, stats.doc, deps))) continue;
      const title = titleOf(parsed.value.kind, parsed.value.key, names);
      documents.push({
        name: stats.doc,
        kind: parsed.value.kind,
        title: group === null ? title : `${group}: ${title}`,
        edits: stats.edits,
        firstEditAt: stats.firstTs,
        lastEditAt: stats.lastTs,
      });
    }
  }
  const readable = new Map<string, Promise<boolean>>();
  const mayReadHere = (name: string) => {
    let answer = readable.get(name);
    if (!answer) {
      answer = mayRead(principal, name, deps);
      readable.set(name, answer);
    }
    return answer;
  };
  return { session, from, to, classes, documents, mayRead: mayReadHere };
}

function titleOf(kind: DocKind, key: string, names: Record<string, string>): string {
  switch (kind) {
    case 'code':
      return key === 'main' ? 'Class code' : `Pair room ${key}`;
    case 'ws':
      return `${names[key] ?? key}'s workspace`;
    case 'board':
      return key === 'main' ? 'Board' : `Board ${key}`;
    case 'chat':
      return key === 'main' ? 'Chat' : `Pair chat ${key}`;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}
