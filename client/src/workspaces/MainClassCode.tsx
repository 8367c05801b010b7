// The main class's code seen from a breakout group's page: `<main>/code/main`, which a group's token may
// only read (the server marks the connection read-only; the editor says so).
import type { Theme } from '@tandem/shared';
import { useMemo } from 'react';
import type { CollabSession } from '../collab/CollabSession.ts';
import { usePeers } from '../collab/useCollab.ts';
import { useDocHandle } from '../collab/useSession.ts';
import { EditorSurface } from '../editor/EditorSurface.tsx';

export function MainClassCode({
  session,
  mainClassId,
  self,
  theme,
}: {
  session: CollabSession;
  mainClassId: string;
  self: { userId: string; name: string; role: 'student' };
  theme: Theme;
}) {
  const name = useMemo(() => ({ classId: mainClassId, kind: 'code' as const, key: 'main' }), [mainClassId]);
  const handle = useDocHandle(session, name, self.userId);
  const peers = usePeers(handle?.awareness ?? null);
  if (!handle) return <p className="muted workspace-loading">Opening the main class's code…</p>;
  return (
    <div className="my-workspace" data-testid="main-class-code">
      <EditorSurface handle={handle} peers={peers} self={self} theme={theme} leader={null} starter={null} />
    </div>
  );
}
