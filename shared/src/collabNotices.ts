// Server → client notices sent as Hocuspocus stateless messages on a document connection.
import { z } from 'zod';
import { classNoticeSchemas } from './classroom/notices.ts';

export const collabNoticeSchema = z.discriminatedUnion('type', [
  /**
   * The connection's access changed while open (a class lock). After `write` is restored, a client whose
   * edits were refused while read-only (provider.unsyncedChanges > 0) must reload the document: its
   * refused changes can never be merged.
   */
  z.object({ type: z.literal('access'), access: z.enum(['read', 'write']) }),
  /** Live class events (hands, locks, announcements, ...): see classroom/notices.ts. */
  ...classNoticeSchemas,
]);

export type CollabNotice = z.infer<typeof collabNoticeSchema>;

export function encodeCollabNotice(notice: CollabNotice): string {
  return JSON.stringify({ tandem: notice });
}

/** Returns the notice in a stateless payload, or null for payloads that are not Tandem notices. */
export function decodeCollabNotice(payload: string): CollabNotice | null {
  try {
    const parsed = collabNoticeSchema.safeParse((JSON.parse(payload) as { tandem?: unknown }).tandem);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
