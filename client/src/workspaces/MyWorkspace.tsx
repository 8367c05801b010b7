// A student's own workspace in the code tab: asks the server for the current hand-out first (it arrives on
// the first open), then edits `<classId>/ws/<userId>` of the main class (also from a breakout group's page,
// whose token may open it) like any code document. It is a durable document, so
// the work is there in the next session; staff may edit alongside (their cursors show here).
import type { Theme } from '@tandem/shared';
import { useEffect, useMemo, useState } from 'react';
import type { ClassroomApi } from '../classroom/api.ts';
import type { CollabSession } from '../collab/CollabSession.ts';
import { EditorSurface } from '../editor/EditorSurface.tsx';
import { useWorkspaceDoc, workspaceDocName } from './useWorkspaceDoc.ts';
import { workspaceApi } from './workspaceApi.ts';

export interface MyWorkspaceProps {
  session: CollabSession;
  /** The page's API (a group's id is answered for its main class). */
  api: ClassroomApi;
  /** The main class. */
  classId: string;
  self: { userId: string; name: string; role: 'student' };
  theme: Theme;
}

export function MyWorkspace({ session, api, classId, self, theme }: MyWorkspaceProps) {
  const [opened, setOpened] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    workspaceApi
      .open(api, self.userId)
      .then((r) => live && r.delivered && setNote(`Exercise ${r.revision} is in your workspace.`))
      .catch(() => live && setNote('Could not check for a new exercise; your saved work is shown.'))
      .finally(() => live && setOpened(true));
    return () => {
      live = false;
    };
  }, [api, self.userId]);
  const name = useMemo(
    () => (opened ? workspaceDocName(classId, self.userId) : null),
    [opened, classId, self.userId],
  );
  const { handle, peers } = useWorkspaceDoc(session, name, self, self.userId);
  if (!handle) return <p className="muted workspace-loading">Opening your workspace…</p>;
  return (
    <div className="my-workspace" data-testid="my-workspace">
      {note && (
        <div className="banner" role="status">
          {note}
        </div>
      )}
      <EditorSurface handle={handle} peers={peers} self={self} theme={theme} leader={null} starter="" />
    </div>
  );
}
