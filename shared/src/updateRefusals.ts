// Why the server refused a client's Yjs update: the typed reason sent in an `updateRefused` notice (and, on the
// /yjs bridge, as the close reason with close code 4422). The client switches on `code`, never on the text.
import * as v from 'valibot';

export const UPDATE_REFUSAL_CODES = [
  /** New content under a Yjs client id that another user already writes under in this document. */
  'foreign_client',
  /** Content that starts after a gap in its client's history: it would wait, pending, for edits that never come. */
  'missing_structs',
  /** Deletions of content the document has never seen (they would delete someone's future edits). */
  'unknown_deletes',
  /** The update would grow the document past MAX_DOCUMENT_BYTES (deleting is still allowed). */
  'document_too_large',
  /**
   * The message carrying the update is larger than MAX_MESSAGE_BYTES (a paste too large to send in one piece).
   * Refused by the server, or by the client itself before sending once it knows the limit.
   */
  'message_too_large',
  /**
   * Applying the update would hold the server for too long (too many items, deletions or splits in one update,
   * MAX_UPDATE_OPERATIONS), or the sender has sent too much recently (USER_UPDATE_OPERATIONS_PER_SEC,
   * USER_UPDATE_BYTES_PER_SEC).
   */
  'update_too_costly',
] as const;
export type UpdateRefusalCode = (typeof UPDATE_REFUSAL_CODES)[number];

export const updateRefusalSchema = v.object({
  code: v.picklist(UPDATE_REFUSAL_CODES),
  /** One sentence for logs and for the person; says what happened, not how to parse it. */
  reason: v.pipe(v.string(), v.maxLength(300)),
});
export type UpdateRefusal = v.InferOutput<typeof updateRefusalSchema>;
