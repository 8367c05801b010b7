// Per-class lock switches (code editing, whiteboard) for students: persisted through ClassLockStorage, cached,
// and announced to listeners so open connections change permission at once. Permission checks are
// synchronous, so a class's switches are loaded (load()) before its first check; set() saves before it
// announces.
import { type ClassLocks, DEFAULT_LOCKS } from '@tandem/shared';
import type { ClassLockStorage } from '../storage/types/locks.ts';

type Listener = (classId: string, locks: ClassLocks) => void;

export class ClassLockRegistry {
  private readonly cache = new Map<string, ClassLocks>();
  private readonly loading = new Map<string, Promise<ClassLocks>>();
  private readonly listeners = new Set<Listener>();
  /** The last set() of each class still running. */
  private readonly writes = new Map<string, Promise<ClassLocks>>();

  constructor(private readonly storage: ClassLockStorage) {}

  /** The class's switches, read from storage the first time. */
  load(classId: string): Promise<ClassLocks> {
    const cached = this.cache.get(classId);
    if (cached) return Promise.resolve(cached);
    let pending = this.loading.get(classId);
    if (!pending) {
      pending = this.storage.get(classId).then(
        (saved) => {
          this.loading.delete(classId);
          // A set() that finished meanwhile is newer than what was read.
          const locks = this.cache.get(classId) ?? saved ?? DEFAULT_LOCKS;
          this.cache.set(classId, locks);
          return locks;
        },
        (error: unknown) => {
          this.loading.delete(classId);
          throw error;
        },
      );
      this.loading.set(classId, pending);
    }
    return pending;
  }

  /** Classes whose switches are cached: load() only classes the caller belongs to, so this stays bounded. */
  get size(): number {
    return this.cache.size;
  }

  /** The loaded switches of a class; throws if load(classId) has not completed (a missing await). */
  get(classId: string): ClassLocks {
    const locks = this.cache.get(classId);
    if (!locks) throw new Error(`class locks of ${classId} read before they were loaded`);
    return locks;
  }

  /** Applies a patch; changes to one class apply one after another, in the order asked. */
  set(classId: string, patch: Partial<ClassLocks>): Promise<ClassLocks> {
    const previous = this.writes.get(classId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.apply(classId, patch));
    this.writes.set(classId, next);
    const done = () => {
      if (this.writes.get(classId) === next) this.writes.delete(classId);
    };
    next.then(done, done);
    return next;
  }

  private async apply(classId: string, patch: Partial<ClassLocks>): Promise<ClassLocks> {
    const current = await this.load(classId);
    const locks = { ...current, ...patch };
    if (locks.codeLocked !== current.codeLocked || locks.boardLocked !== current.boardLocked) {
      await this.storage.save(classId, locks);
    }
    this.cache.set(classId, locks);
    for (const listener of this.listeners) listener(classId, locks);
    return locks;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
