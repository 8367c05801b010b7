// The class storage contract: classes and their rosters.
import type { ClassInfo, Role, RosterMember } from '@tandem/shared';

export interface NewClass {
  id: string;
  title: string;
  maxParticipants: number | null;
}

export interface ClassPatch {
  title?: string;
  maxParticipants?: number | null;
  replayForStudents?: boolean | null;
}

export interface ClassStorage {
  get(id: string): Promise<ClassInfo | null>;
  /** Oldest first. */
  list(limit: number, offset: number): Promise<ClassInfo[]>;
  /** Creates the class; false when the id is taken. */
  create(input: NewClass): Promise<boolean>;
  /** The class, created with its id as title if it does not exist yet. */
  ensure(id: string): Promise<ClassInfo>;
  update(id: string, patch: ClassPatch): Promise<ClassInfo | null>;
  /** Removes the class with its roster and sessions; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Ordered by name, then user id. */
  roster(classId: string): Promise<RosterMember[]>;
  rosterMember(classId: string, userId: string): Promise<RosterMember | null>;
  /** Replaces the whole roster in one transaction. */
  replaceRoster(classId: string, members: readonly RosterMember[]): Promise<void>;
  upsertMember(classId: string, member: { userId: string; name: string; role: Role }): Promise<void>;
  removeMember(classId: string, userId: string): Promise<boolean>;
}
