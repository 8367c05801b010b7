// Creates the page's collaboration session and opens documents on it for the lifetime of a component.
import { type DocumentName, formatDocumentName } from '@tandem/shared';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { TokenStore } from '../auth/TokenStore.ts';
import { CollabSession, collabUrl } from './CollabSession.ts';
import type { DocHandle } from './DocHandle.ts';

/** One session per class page: its socket names `classId` (a cluster routes it to the class's owner). */
export function useCollabSession(tokens: TokenStore, classId: string): CollabSession {
  const [session] = useState(() => new CollabSession(collabUrl(window.location, classId), tokens));
  useEffect(() => () => session.destroy(), [session]);
  return session;
}

/**
 * Opens `docName` (null: none) with an offline copy keyed by the user, and returns its current handle (a
 * new one after the session reloads the document). Released on unmount or when the name changes.
 */
export function useDocHandle(
  session: CollabSession,
  docName: DocumentName | null,
  userId: string | null,
): DocHandle | null {
  const key = docName ? formatDocumentName(docName) : null;
  const opened = useRef<{ key: string | null; docName: DocumentName | null }>({ key: null, docName: null });
  if (opened.current.key !== key) {
    // Opening during render keeps the handle available on the first paint; the effect below releases it.
    if (docName) session.open(docName, userId);
    opened.current = { key, docName };
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` identifies the opened document
  useEffect(() => {
    const name = opened.current.docName;
    if (!name) return;
    return () => session.release(name);
  }, [session, key]);
  return useSyncExternalStore(
    (notify) => session.subscribeDocs(notify),
    () => (docName ? session.get(docName) : null),
  );
}
