// Opens a person's workspace document `<classId>/ws/<userId>` on the page's session, with their identity and
// idle state in its awareness (the class page sets these only on its own documents), and its people.
import type { DocumentName } from '@tandem/shared';
import { useEffect, useMemo } from 'react';
import type { CollabSession } from '../collab/CollabSession.ts';
import type { DocHandle } from '../collab/DocHandle.ts';
import { setPresence, usePeers } from '../collab/useCollab.ts';
import { useDocHandle } from '../collab/useSession.ts';
import { watchIdle } from '../presence/idle.ts';
import type { Peer } from '../presence/peerState.ts';

export function workspaceDocName(classId: string, userId: string): DocumentName {
  return { classId, kind: 'ws', key: userId };
}

export function useWorkspaceDoc(
  session: CollabSession,
  name: DocumentName | null,
  self: { userId: string; name: string; role: string } | null,
  offlineUserId: string | null,
): { handle: DocHandle | null; peers: Peer[] } {
  const handle = useDocHandle(session, name, offlineUserId);
  const peers = usePeers(handle?.awareness ?? null);
  const [id, who, role] = [self?.userId ?? null, self?.name ?? '', self?.role ?? ''];
  const user = useMemo(() => (id ? { id, name: who, role } : null), [id, who, role]);
  useEffect(() => {
    if (!handle || !user) return;
    setPresence(handle.awareness, { user, view: 'editor' });
    return watchIdle((idle) => setPresence(handle.awareness, { idle }));
  }, [handle, user]);
  return { handle, peers };
}
