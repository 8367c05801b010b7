// The main class of each class id, remembered once resolved: breakout groups never change class, so the
// synchronous readers (the presence tracker, on every join and leave) use this map after an async resolve.
import type { BreakoutStorage } from '../storage/types/breakouts.ts';
import { mayBeBreakoutClassId } from './breakoutIds.ts';

export class ClassRoots {
  private readonly resolved = new Map<string, string>();

  constructor(private readonly breakouts: Pick<BreakoutStorage, 'rootOf'>) {}

  /** The main class of a class id: itself unless it is a breakout group. */
  async rootOf(classId: string): Promise<string> {
    if (!mayBeBreakoutClassId(classId)) return classId;
    const known = this.resolved.get(classId);
    if (known !== undefined) return known;
    const root = await this.breakouts.rootOf(classId);
    // Only groups are remembered: an id asked about before its group existed is asked about again.
    if (root !== classId) this.resolved.set(classId, root);
    return root;
  }

  /** The root as resolved by an earlier `rootOf` (callers resolve first); unresolved ids are their own. */
  resolvedRootOf(classId: string): string {
    return this.resolved.get(classId) ?? classId;
  }
}
