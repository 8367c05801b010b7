// The breakout storage contract: breakout sets, their groups and members; at most one open set per class.
import type { BreakoutGroup, PersonRef } from '@tandem/shared';

export interface BreakoutSetRow {
  id: number;
  classId: string;
  sessionId: string;
  state: 'open' | 'closed';
  createdBy: string;
  createdAt: number;
  closedAt: number | null;
}

export interface GroupInfo {
  classId: string;
  setId: number;
  parentClassId: string;
  groupId: string;
  name: string;
  state: 'open' | 'closed';
}

export interface GroupSpec {
  name: string;
  members: PersonRef[];
}

export interface BreakoutStorage {
  /** Creates an open set with its groups in one transaction; returns the set id. */
  create(
    classId: string,
    sessionId: string,
    createdBy: string,
    groups: readonly GroupSpec[],
  ): Promise<number>;
  openSet(classId: string): Promise<BreakoutSetRow | null>;
  latestSet(classId: string): Promise<BreakoutSetRow | null>;
  set(setId: number): Promise<BreakoutSetRow | null>;
  /** Closes an open set; false when it was not open. */
  close(setId: number): Promise<boolean>;
  /** Groups in their order, members ordered by name. */
  groups(setId: number): Promise<BreakoutGroup[]>;
  /** The group a class id belongs to, or null for an ordinary class. */
  group(classId: string): Promise<GroupInfo | null>;
  /** The main class of a class id: itself unless it is a breakout group. */
  rootOf(classId: string): Promise<string>;
}
