// The chat storage contract: per-room slow mode, read markers, mutes and the moderation audit.

export interface AuditEntry {
  id: number;
  messageId: string;
  action: 'edit' | 'delete';
  actorId: string;
  actorName: string;
  authorId: string;
  oldText: string;
  at: number;
}

export interface ChatStorage {
  slowModeSeconds(classId: string, room: string): Promise<number>;
  setSlowMode(classId: string, room: string, seconds: number): Promise<void>;
  readSeq(classId: string, room: string, userId: string): Promise<number>;
  /** Read markers only move forward; returns the marker now stored. */
  markRead(classId: string, room: string, userId: string, seq: number): Promise<number>;
  /** `until` null: until unmuted. */
  mute(classId: string, userId: string, until: number | null, byId: string): Promise<void>;
  unmute(classId: string, userId: string): Promise<void>;
  muteState(classId: string, userId: string): Promise<{ muted: boolean; until: number | null }>;
  audit(classId: string, room: string, entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void>;
  auditLog(classId: string, room: string, afterId: number, limit: number): Promise<AuditEntry[]>;
}
