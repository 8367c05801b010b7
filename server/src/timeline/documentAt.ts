// A document as it was at t for the API (GET /api/documents/<name>/at): the seeker's state, and for chat
// rooms moderation as of now: a message deleted since is replaced by its tombstone of today before anything
// is encoded, so neither the JSON view nor the Yjs update carries the text it had.
import { chatMessagesMap, type DocumentAtReply, type DocumentName, readChatMessages } from '@tandem/shared';
import * as Y from 'yjs';
import type { CollabService } from '../collab/CollabService.ts';
import { docToJson } from '../collab/docContent.ts';
import type { DocumentSeeker } from './DocumentSeeker.ts';

export async function documentAt(
  seeker: DocumentSeeker,
  collab: Pick<CollabService, 'read'>,
  name: string,
  parsed: DocumentName,
  t: number,
): Promise<DocumentAtReply> {
  const found = await seeker.stateAt(name, t);
  let state = found.state;
  if (parsed.kind === 'chat') {
    const deletedNow = new Map(
      (await collab.read(name, (doc) => readChatMessages(doc)))
        .filter((m) => m.deleted !== null)
        .map((m) => [m.id, m]),
    );
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, state);
    const messages = chatMessagesMap(ydoc);
    ydoc.transact(() => {
      for (const id of [...messages.keys()]) {
        const tombstone = deletedNow.get(id);
        if (tombstone) messages.set(id, tombstone);
      }
    });
    state = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
  }
  return {
    document: name,
    t,
    seq: found.seq,
    content: docToJson(state),
    update: Buffer.from(state).toString('base64'),
  };
}
