// Who staff removed from a class for the rest of its session, and the check every endpoint makes (documents
// on /collab and /yjs, the classroom API, media joins): a removed person is refused with `removed` (4410) until
// staff let them back in or the session ends. Kept through RemovalStorage (so a restart changes nothing) and
// cached per main class, read from storage on a class's first check.
import {
  type PersonRef,
  type RemovedPerson,
  type Role,
  removedFromClassReason,
  type UserIdentity,
} from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { RemovalStorage } from '../storage/types/removals.ts';

export interface RemovalRequest {
  person: PersonRef & { role: Role };
  by: PersonRef;
  sessionId: string | null;
}

export class Removals {
  /** Main class id -> removed user id -> removal. */
  private readonly cache = new Map<string, Promise<Map<string, RemovedPerson>>>();

  constructor(
    private readonly store: RemovalStorage,
    /** The main class of a class id (a breakout group's parent). */
    private readonly rootOf: (classId: string) => Promise<string>,
  ) {}

  /** Refuses a removed person (AppError `removed`, with who removed them and what to do). */
  async check(user: Pick<UserIdentity, 'id' | 'classId'>): Promise<void> {
    const removal = (await this.of(await this.rootOf(user.classId))).get(user.id);
    if (removal) throw new AppError('removed', removedFromClassReason(removal.byName));
  }

  async isRemoved(rootClassId: string, userId: string): Promise<boolean> {
    return (await this.of(rootClassId)).has(userId);
  }

  async list(rootClassId: string): Promise<RemovedPerson[]> {
    return [...(await this.of(rootClassId)).values()].sort((a, b) => a.at - b.at);
  }

  /** False when the person was removed already. Stored before it takes effect. */
  async add(rootClassId: string, { person, by, sessionId }: RemovalRequest): Promise<boolean> {
    const removed = await this.of(rootClassId);
    const added = await this.store.add(rootClassId, {
      sessionId,
      person,
      byId: by.id,
      byName: by.name,
    });
    if (added || !removed.has(person.id)) {
      const row = (await this.store.active(rootClassId)).find((r) => r.userId === person.id);
      if (row) removed.set(person.id, row);
    }
    return added;
  }

  /** Lets one person back in; false when they were not removed. */
  async lift(rootClassId: string, userId: string, byId: string): Promise<boolean> {
    const removed = await this.of(rootClassId);
    const lifted = await this.store.lift(rootClassId, userId, byId);
    removed.delete(userId);
    return lifted;
  }

  /** The session ended: everyone removed may come back. Returns whose removal ended. */
  async liftAll(rootClassId: string, byId: string): Promise<string[]> {
    const removed = await this.of(rootClassId);
    const lifted = await this.store.liftAll(rootClassId, byId);
    removed.clear();
    return lifted;
  }

  private of(rootClassId: string): Promise<Map<string, RemovedPerson>> {
    let entry = this.cache.get(rootClassId);
    if (!entry) {
      const loading = this.store.active(rootClassId).then((rows) => new Map(rows.map((r) => [r.userId, r])));
      // A failed read is not cached: the next check asks storage again.
      loading.catch(() => {
        if (this.cache.get(rootClassId) === loading) this.cache.delete(rootClassId);
      });
      this.cache.set(rootClassId, loading);
      entry = loading;
    }
    return entry;
  }
}
