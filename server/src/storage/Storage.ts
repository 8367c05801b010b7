// Everything durable, for one engine: the stores of every concern behind their async contracts
// (types/*.ts). openStorage.ts builds one; services receive the stores they use.
import type { AttendanceStorage } from './types/attendance.ts';
import type { BreakoutStorage } from './types/breakouts.ts';
import type { ChatStorage } from './types/chat.ts';
import type { ClassStorage } from './types/classes.ts';
import type { ClientIdStorage } from './types/clientIds.ts';
import type { DocumentStorage, UpdateLogReader } from './types/documents.ts';
import type { EditSpanStorage } from './types/editSpans.ts';
import type { HandoutStorage } from './types/handouts.ts';
import type { HandStorage } from './types/hands.ts';
import type { ClassLockStorage } from './types/locks.ts';
import type { NotificationStorage } from './types/notifications.ts';
import type { PollStorage } from './types/polls.ts';
import type { RecordingStorage } from './types/recordings.ts';
import type { RemovalStorage } from './types/removals.ts';
import type { SessionStorage } from './types/sessions.ts';
import type { TimelineStorage } from './types/timeline.ts';
import type { VersionStorage } from './types/versions.ts';
import type { WebhookStorage } from './types/webhooks.ts';

export const STORAGE_ENGINES = ['sqlite', 'postgres'] as const;
export type StorageEngine = (typeof STORAGE_ENGINES)[number];

export interface Storage {
  engine: StorageEngine;
  documents: DocumentStorage;
  /** The update log as the update checks read it (types/documents.ts). */
  updateLog: UpdateLogReader;
  /** Who writes under each Yjs client id of a document: loaded and written with the documents. */
  clientIds: ClientIdStorage;
  versions: VersionStorage;
  /** When each client's clock ranges of a document were written (attribution), kept after log pruning. */
  editSpans: EditSpanStorage;
  locks: ClassLockStorage;
  classes: ClassStorage;
  sessions: SessionStorage;
  attendance: AttendanceStorage;
  breakouts: BreakoutStorage;
  chat: ChatStorage;
  hands: HandStorage;
  removals: RemovalStorage;
  /** Each person's inbox per main class (announcements, mentions, replies, class and poll starts). */
  notifications: NotificationStorage;
  /** Polls and quizzes with their answers. */
  polls: PollStorage;
  /** The outbox of webhooks to course platforms. */
  webhooks: WebhookStorage;
  /** Exercises handed out per class and which revision each student's workspace received. */
  handouts: HandoutStorage;
  /** Class recordings and their manifests (server/src/recording). */
  recordings: RecordingStorage;
  /** The class timeline's own events and document checkpoints, and its reads of the log (server/src/timeline). */
  timeline: TimelineStorage;
  /** False once closed or when the engine is unreachable (readiness). */
  isOpen(): boolean;
  /**
   * Readiness: whether the engine answers (PostgreSQL: a `select 1` within `timeoutMs`; SQLite: the database
   * is open). Resolves with why not; never rejects.
   */
  ping(timeoutMs: number): Promise<{ ok: boolean; detail?: string }>;
  /** Flushes the update log and closes the engine (idempotent). */
  close(): Promise<void>;
}
