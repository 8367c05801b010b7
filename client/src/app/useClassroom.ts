// Everything a class page needs from the collaboration service: the session on one socket, the code and
// board documents, who is here, and this person's presence (idle, current view) published on each document.
import type { TokenClaims } from '@tandem/shared';
import { useEffect, useMemo } from 'react';
import type { TokenStore } from '../auth/TokenStore.ts';
import type { CollabSession } from '../collab/CollabSession.ts';
import type { DocHandle } from '../collab/DocHandle.ts';
import { setPresence, usePeers } from '../collab/useCollab.ts';
import { useCollabSession, useDocHandle } from '../collab/useSession.ts';
import { watchIdle } from '../presence/idle.ts';
import type { Peer } from '../presence/peerState.ts';

export interface Classroom {
  session: CollabSession;
  claims: TokenClaims | null;
  code: DocHandle | null;
  board: DocHandle | null;
  /** Handles for the status bar's save state. */
  handles: readonly DocHandle[];
  /** People, from the code document's awareness (the board's when there is no code document). */
  peers: Peer[];
}

export function useClassroom(
  tokens: TokenStore,
  opts: { classId: string; codeKey: string | null; board: boolean },
): Classroom {
  const session = useCollabSession(tokens, opts.classId);
  const claims = tokens.claims;
  const userId = claims?.sub ?? null;
  const { classId, codeKey } = opts;
  const code = useDocHandle(session, codeKey ? { classId, kind: 'code', key: codeKey } : null, userId);
  const board = useDocHandle(session, opts.board ? { classId, kind: 'board', key: 'main' } : null, userId);
  const handles = useMemo(() => [code, board].filter((h): h is DocHandle => h !== null), [code, board]);
  const peers = usePeers((code ?? board)?.awareness ?? null);

  // Our own state carries our identity too (the server overwrites it with the same values for others), so
  // the people list can show us like everyone else.
  useEffect(() => {
    if (!claims) return;
    for (const h of handles)
      setPresence(h.awareness, { user: { id: claims.sub, name: claims.name, role: claims.role } });
  }, [handles, claims]);

  useEffect(() => {
    const apply = (idle: boolean) => {
      for (const h of handles) setPresence(h.awareness, { idle });
    };
    return watchIdle(apply);
  }, [handles]);

  return { session, claims, code, board, handles, peers };
}
