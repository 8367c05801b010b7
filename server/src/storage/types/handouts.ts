// The handout storage contract: each class's current starter content (the exercise handed out, with a
// revision that counts handouts) and, per student, which revision their workspace last received.
import type { Handout, StarterFile } from '@tandem/shared';

export interface WorkspaceReceipt {
  userId: string;
  revision: number;
  receivedAt: number;
}

export interface HandoutStorage {
  /** The class's current handout, or null when none was handed out. */
  current(classId: string): Promise<Handout | null>;
  /** Replaces the class's handout with `files` as the next revision (1 for the first); returns it. */
  publish(classId: string, files: readonly StarterFile[], createdBy: string, at: number): Promise<Handout>;
  /** Records that `userId`'s workspace received `revision` (a later record replaces an earlier one). */
  markReceived(classId: string, userId: string, revision: number, at: number): Promise<void>;
  /** The revision `userId`'s workspace last received, or null. */
  receipt(classId: string, userId: string): Promise<WorkspaceReceipt | null>;
  /** Every receipt of a class, by user id. */
  receipts(classId: string): Promise<WorkspaceReceipt[]>;
}
