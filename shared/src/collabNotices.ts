// Server → client notices sent as Hocuspocus stateless messages on a document connection.
import * as v from 'valibot';
import { type ClassNotice, classNoticeSchemas } from './classroom/notices.ts';
import { updateRefusalSchema } from './updateRefusals.ts';

export const collabNoticeSchema = v.variant('type', [
  /**
   * The connection's access changed while open (a class lock). After `write` is restored, a client whose
   * edits were refused while read-only (provider.unsyncedChanges > 0) must reload the document: its
   * refused changes can never be merged.
   */
  v.object({ type: v.literal('access'), access: v.picklist(['read', 'write']) }),
  /**
   * The server refused one of this connection's Yjs updates and closed the document connection. Nothing of
   * that update was applied, stored or relayed; the client's copy has diverged and must be replaced by the
   * server's (keeping the refused edits aside), never resent.
   */
  v.object({ type: v.literal('updateRefused'), ...updateRefusalSchema.entries }),
  /**
   * Sent once a document connection is established: the largest message the server takes (MAX_MESSAGE_BYTES),
   * so the client can refuse a larger change itself instead of sending it.
   */
  v.object({ type: v.literal('limits'), maxMessageBytes: v.pipe(v.number(), v.safeInteger(), v.gtValue(0)) }),
  /** Live class events (hands, locks, announcements, ...): see classroom/notices.ts. */
  ...classNoticeSchemas,
]);

export type CollabNotice = v.InferOutput<typeof collabNoticeSchema>;

/** Notices about the connection itself (not class events). */
const CONNECTION_NOTICES = new Set<CollabNotice['type']>(['access', 'updateRefused', 'limits']);

/** True for live class events, false for notices about the connection (access, refused updates, limits). */
export function isClassNotice(notice: CollabNotice): notice is ClassNotice {
  return !CONNECTION_NOTICES.has(notice.type);
}

export function encodeCollabNotice(notice: CollabNotice): string {
  return JSON.stringify({ tandem: notice });
}

/** Returns the notice in a stateless payload, or null for payloads that are not Tandem notices. */
export function decodeCollabNotice(payload: string): CollabNotice | null {
  try {
    const parsed = v.safeParse(collabNoticeSchema, (JSON.parse(payload) as { tandem?: unknown }).tandem);
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}
