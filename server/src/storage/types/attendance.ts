// The attendance storage contract: the people of a session with their counters, and their presence
// intervals (one open interval per person at a time).
import type { Role } from '@tandem/shared';

/** A person as attendance records them (PresenceTracker's PresentPerson has this shape). */
export interface AttendeeRef {
  id: string;
  name: string;
  role: Role;
}

export interface AttendancePersonRow {
  userId: string;
  name: string;
  role: Role;
  messages: number;
  handsRaised: number;
  speakingMs: number;
}

export interface IntervalRow {
  userId: string;
  joinedAt: number;
  leftAt: number | null;
}

export interface AttendanceStorage {
  /** Opens an interval unless one is open already (idempotent). */
  join(sessionId: string, person: AttendeeRef, at: number): Promise<void>;
  leave(sessionId: string, userId: string, at: number): Promise<void>;
  leaveAll(sessionId: string, at: number): Promise<void>;
  /** Ends every interval left open (a crash): nobody is connected after a restart. Returns how many. */
  closeDangling(at: number): Promise<number>;
  countMessage(sessionId: string, person: AttendeeRef): Promise<void>;
  countHand(sessionId: string, person: AttendeeRef): Promise<void>;
  addSpeaking(sessionId: string, person: AttendeeRef, ms: number): Promise<void>;
  people(sessionId: string): Promise<AttendancePersonRow[]>;
  /** Ordered by user id, then join time. */
  intervals(sessionId: string): Promise<IntervalRow[]>;
}
