// The hand storage contract: one raised hand per person per class, in the order raised; lowered hands stay.
import type { HandEntry } from '@tandem/shared';
import type { AttendeeRef } from './attendance.ts';

export interface HandStorage {
  /** Raises a hand; false when it was already up. */
  raise(classId: string, sessionId: string, person: AttendeeRef, groupId: string | null): Promise<boolean>;
  /** Lowers a hand; false when it was not up. */
  lower(classId: string, userId: string, byId: string): Promise<boolean>;
  /** Lowers every hand of the class; returns whose. */
  lowerAll(classId: string, byId: string): Promise<string[]>;
  /** Raised hands in the order raised. */
  queue(classId: string): Promise<HandEntry[]>;
  isRaised(classId: string, userId: string): Promise<boolean>;
}
