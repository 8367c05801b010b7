// A document as it was at t for the API (GET /api/documents/<name>/at): the seeker's state, and for chat
// rooms moderation as of now: a message deleted since is replaced by its tombstone of today before anything
// is encoded, so neither the JSON view nor the Yjs update carries the text it had. The JSON view is left out
// when the caller asks for the update only (the replay page's seeks).
import { chatMessagesMap, type DocumentAtReply, type DocumentName, readChatMessages } from '@tandem/shared';
import * as Y from 'yjs';
import type { CollabService } from '../collab/CollabService.ts';
import { docJson } from '../collab/docContent.ts';
import type { DocumentSeeker } from './DocumentSeeker.ts';

export async function documentAt(
  seeker: Pick<DocumentSeeker, 'docAt'>,
  collab: Pick<CollabService, 'read'>,
  name: string,
  parsed: DocumentName,
  t: number,
  /** Whether the reply carries the JSON view (its encoding costs as much as the update's). */
  withContent = true,
): Promise<DocumentAtReply> {
  const { ydoc, seq } = await seeker.docAt(name, t);
  try {
    if (parsed.kind === 'chat') {
      const deletedNow = new Map(
        (await collab.read(name, (doc) => readChatMessages(doc)))
          .filter((m) => m.deleted !== null)
          .map((m) => [m.id, m]),
      );
      const messages = chatMessagesMap(ydoc);
      // A replaced value is deleted and garbage-collected with the transaction: its text leaves the state.
      ydoc.transact(() => {
        for (const id of [...messages.keys()]) {
          const tombstone = deletedNow.get(id);
          if (tombstone) messages.set(id, tombstone);
        }
      });
    }
    const state = Y.encodeStateAsUpdate(ydoc);
    const update = Buffer.from(state).toString('base64');
    return withContent
      ? { document: name, t, seq, content: docJson(ydoc), update }
      : { document: name, t, seq, update };
  } finally {
    ydoc.destroy();
  }
}
