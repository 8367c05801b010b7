// Breakout rooms: staff split the present students into groups (random or chosen). Each group is a class
// of its own (see shared/classroom/breakouts.ts) with a code document copied from a starting document, its
// own chat and media room; the server mints group tokens for members and visiting staff. Closing makes
// group code and board read-only for students (kept for later), closes group media and sends people back.
import crypto from 'node:crypto';
import {
  type BreakoutTokenReply,
  type BreakoutView,
  type CreateBreakoutsBody,
  formatDocumentName,
  isStaff,
  type PersonRef,
  type UserIdentity,
} from '@tandem/shared';
import * as Y from 'yjs';
import { mintToken } from '../auth/tokens.ts';
import type { CollabService } from '../collab/CollabService.ts';
import { AppError } from '../errors.ts';
import type { BreakoutStorage, GroupSpec } from '../storage/types/breakouts.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import type { ClassEvents } from './ClassEvents.ts';
import type { ClassNotifier } from './ClassNotifier.ts';
import type { ClassroomMedia } from './ClassroomMedia.ts';
import type { PresenceTracker } from './PresenceTracker.ts';

/** Group tokens never outlive the token they were asked with, and last at least this long. */
const MIN_TOKEN_SECONDS = 60;

export interface BreakoutServiceDeps {
  store: BreakoutStorage;
  sessions: Pick<SessionStorage, 'live'>;
  tracker: PresenceTracker;
  notifier: ClassNotifier;
  events: Pick<ClassEvents, 'emit'>;
  media: ClassroomMedia;
  collab: Pick<CollabService, 'read' | 'edit' | 'setLocks'>;
  authSecret: string | undefined;
  nameOf(rootClassId: string, userId: string): Promise<string>;
  now?: () => number;
}

export class BreakoutService {
  private readonly now: () => number;

  constructor(private readonly deps: BreakoutServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async open(rootClassId: string, actor: PersonRef, body: CreateBreakoutsBody): Promise<BreakoutView> {
    const { store, sessions, collab, notifier } = this.deps;
    if (!this.deps.authSecret) {
      throw new AppError(
        'unavailable',
        'breakout rooms need an HS256 secret (AUTH_SECRET) to issue group tokens',
      );
    }
    const session = await sessions.live(rootClassId);
    if (!session) throw new AppError('conflict', 'start the session before opening breakout rooms');
    if (await store.openSet(rootClassId))
      throw new AppError('conflict', 'breakout rooms are already open; close them first');
    const specs =
      body.mode === 'random'
        ? this.randomGroups(rootClassId, body.groupCount)
        : await this.chosenGroups(rootClassId, body.groups);

    const source = formatDocumentName({ classId: rootClassId, kind: 'code', key: body.startFrom ?? 'main' });
    const start = await collab.read(source, (doc) => Y.encodeStateAsUpdate(doc));
    const setId = await store.create(rootClassId, session.id, actor.id, specs);
    for (const group of await store.groups(setId)) {
      const target = formatDocumentName({ classId: group.classId, kind: 'code', key: 'main' });
      await collab.edit(target, actor, (doc) => Y.applyUpdate(doc, start));
    }
    notifier.toClass(rootClassId, { type: 'breakouts', state: 'open', returnTo: null });
    return (await this.view(rootClassId, null))!;
  }

  /** Closes the open set, if any; returns whether one was open. */
  async closeOpen(rootClassId: string, reason: string): Promise<boolean> {
    const { store, collab, media, notifier } = this.deps;
    const set = await store.openSet(rootClassId);
    if (!set || !(await store.close(set.id))) return false;
    for (const group of await store.groups(set.id)) {
      // Students keep reading their group's work; nobody but staff changes it any more.
      await collab.setLocks(group.classId, { codeLocked: true, boardLocked: true });
      notifier.toClass(group.classId, { type: 'breakouts', state: 'closed', returnTo: rootClassId });
      if (media.available) await media.closeClass(group.classId, `breakout rooms closed: ${reason}`);
    }
    notifier.toClass(rootClassId, { type: 'breakouts', state: 'closed', returnTo: null });
    return true;
  }

  /** Staff: the latest set with every group. Others: the latest set with their own group only. */
  async view(rootClassId: string, user: UserIdentity | null): Promise<BreakoutView | null> {
    const set = await this.deps.store.latestSet(rootClassId);
    if (!set) return null;
    const groups = await this.deps.store.groups(set.id);
    const mine = user ? groups.find((g) => g.members.some((m) => m.id === user.id)) : undefined;
    const seeAll = !user || isStaff(user.role);
    return {
      setId: set.id,
      sessionId: set.sessionId,
      state: set.state,
      createdAt: set.createdAt,
      closedAt: set.closedAt,
      groups: seeAll ? groups : mine ? [mine] : [],
      myGroupId: mine?.id ?? null,
    };
  }

  /** A token for a group of the latest set: members get their own group, staff any (a visit). */
  async token(
    user: UserIdentity,
    tokenExp: number,
    groupId: string | undefined,
  ): Promise<BreakoutTokenReply> {
    const secret = this.deps.authSecret;
    if (!secret) throw new AppError('unavailable', 'breakout rooms need an HS256 secret (AUTH_SECRET)');
    const view = await this.view(user.classId, user);
    if (!view) throw new AppError('not_found', 'this class has no breakout rooms');
    const wanted = groupId ?? view.myGroupId;
    const group = view.groups.find((g) => g.id === wanted);
    if (!group) {
      throw new AppError(
        groupId && !isStaff(user.role) ? 'forbidden' : 'not_found',
        groupId ? `you are not in breakout group ${groupId}` : 'you are not in a breakout group',
      );
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    const ttlSeconds = Math.max(MIN_TOKEN_SECONDS, tokenExp - nowSeconds);
    const token = await mintToken(secret, {
      sub: user.id,
      name: user.name,
      role: user.role,
      cls: group.classId,
      ttlSeconds,
    });
    return { token, classId: group.classId, group, expiresAt: (nowSeconds + ttlSeconds) * 1000 };
  }

  /** An announcement in every group of the open set. */
  async broadcast(rootClassId: string, text: string, by: PersonRef): Promise<number> {
    const byName = by.name;
    const set = await this.deps.store.openSet(rootClassId);
    if (!set) throw new AppError('conflict', 'no breakout rooms are open');
    const groups = await this.deps.store.groups(set.id);
    const at = this.now();
    for (const g of groups) this.deps.notifier.toClass(g.classId, { type: 'announcement', text, byName, at });
    this.deps.events.emit('announcement', {
      classId: rootClassId,
      text,
      at,
      by: { id: by.id, name: byName },
    });
    return groups.length;
  }

  /** Class ids where people of a main class may be connected now: it and its open groups. */
  async audienceOf(rootClassId: string): Promise<string[]> {
    const set = await this.deps.store.openSet(rootClassId);
    if (!set) return [rootClassId];
    return [rootClassId, ...(await this.deps.store.groups(set.id)).map((g) => g.classId)];
  }

  private randomGroups(rootClassId: string, count: number): GroupSpec[] {
    const students = this.deps.tracker.present(rootClassId).filter((p) => p.role === 'student');
    // Fisher-Yates with a CSPRNG: nobody can predict or steer their group.
    for (let i = students.length - 1; i > 0; i--) {
      const j = crypto.randomInt(i + 1);
      [students[i], students[j]] = [students[j]!, students[i]!];
    }
    const groups: GroupSpec[] = Array.from({ length: count }, (_, i) => ({
      name: `Group ${i + 1}`,
      members: [],
    }));
    students.forEach((s, i) => {
      groups[i % count]!.members.push({ id: s.id, name: s.name });
    });
    return groups;
  }

  private async chosenGroups(
    rootClassId: string,
    groups: { name?: string | undefined; members: string[] }[],
  ): Promise<GroupSpec[]> {
    const specs: GroupSpec[] = [];
    for (const [i, g] of groups.entries()) {
      const members = [];
      for (const id of g.members) members.push({ id, name: await this.deps.nameOf(rootClassId, id) });
      specs.push({ name: g.name ?? `Group ${i + 1}`, members });
    }
    return specs;
  }
}
