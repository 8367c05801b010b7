// The removal storage contract: who staff removed from a class (its main class id) for the rest of a session.
// A removal is active until it is lifted (staff let the person back in, or the session ended); lifted rows
// stay, with who lifted them and when, as the class's record.
import type { RemovedPerson } from '@tandem/shared';
import type { AttendeeRef } from './attendance.ts';

export interface RemovalInput {
  /** The live session the removal was made in (null: none was live; it then ends with the next one). */
  sessionId: string | null;
  person: AttendeeRef;
  byId: string;
  byName: string;
}

export interface RemovalStorage {
  /** Removes a person; false when they were removed already (nothing changes). */
  add(classId: string, removal: RemovalInput): Promise<boolean>;
  /** Lets one person back in; false when they were not removed. */
  lift(classId: string, userId: string, byId: string): Promise<boolean>;
  /** Lifts every removal of the class (its session ended); returns whose. */
  liftAll(classId: string, byId: string): Promise<string[]>;
  /** Active removals, oldest first. */
  active(classId: string): Promise<RemovedPerson[]>;
}
