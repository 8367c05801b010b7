// The session storage contract: sessions of a class, scheduled -> live -> ended, at most one live per class.
import type { SessionInfo } from '@tandem/shared';

export interface NewSession {
  classId: string;
  title: string;
  scheduledStart: number | null;
  scheduledEnd: number | null;
  maxParticipants: number | null;
}

export interface SessionStorage {
  get(id: string): Promise<SessionInfo | null>;
  /** Newest first. */
  list(classId: string, limit?: number): Promise<SessionInfo[]>;
  live(classId: string): Promise<SessionInfo | null>;
  create(input: NewSession): Promise<SessionInfo>;
  /** scheduled -> live; AppError `conflict` when not scheduled or another session of the class is live. */
  start(id: string): Promise<SessionInfo>;
  /** live -> ended; AppError `conflict` when not live. */
  end(id: string): Promise<SessionInfo>;
  /** The session, or AppError `not_found`. */
  require(id: string): Promise<SessionInfo>;
  /** Drops cached state of a deleted class. */
  forget(classId: string): void;
}
