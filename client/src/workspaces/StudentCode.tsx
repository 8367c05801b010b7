// The code tab for a student: the switch between the class's shared code and their own workspace. The
// class code's editor stays mounted while the workspace shows (it keeps its file and scroll position).
import type { Theme } from '@tandem/shared';
import { type ReactNode, useState } from 'react';
import type { ClassroomApi } from '../classroom/api.ts';
import type { CollabSession } from '../collab/CollabSession.ts';
import { CodeSwitcher, type CodeView } from './CodeSwitcher.tsx';
import { MyWorkspace } from './MyWorkspace.tsx';
import './workspaces.css';

export function StudentCode(props: {
  session: CollabSession;
  api: ClassroomApi;
  classId: string;
  self: { userId: string; name: string; role: 'student' };
  theme: Theme;
  /** The class code's editor. */
  children: ReactNode;
}) {
  const [view, setView] = useState<CodeView>('class');
  return (
    <>
      <CodeSwitcher view={view} onChange={setView} />
      <div className="code-view" hidden={view !== 'class'}>
        {props.children}
      </div>
      {view === 'mine' && (
        <div className="code-view">
          <MyWorkspace
            session={props.session}
            api={props.api}
            classId={props.classId}
            self={props.self}
            theme={props.theme}
          />
        </div>
      )}
    </>
  );
}
