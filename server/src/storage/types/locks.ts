// The class lock storage contract: per-class lock switches (code editing, whiteboard) as last saved.
import type { ClassLocks } from '@tandem/shared';

export interface ClassLockStorage {
  /** The saved switches, or null when the class never had any saved. */
  get(classId: string): Promise<ClassLocks | null>;
  save(classId: string, locks: ClassLocks): Promise<void>;
}
