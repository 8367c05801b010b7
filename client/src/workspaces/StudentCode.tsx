// The code tab for a student: the switch between the class's shared code and their own workspace (and, in a
// breakout group, the main class's code). The page's code editor stays mounted while another view shows (it
// keeps its file and scroll position). A student has one workspace per main class: in a group it is the
// main class's `<main>/ws/<userId>`, so its main class must be known before it opens.
import type { Theme } from '@tandem/shared';
import { type ReactNode, useState } from 'react';
import type { ClassroomApi } from '../classroom/api.ts';
import type { CollabSession } from '../collab/CollabSession.ts';
import { CodeSwitcher, type CodeView } from './CodeSwitcher.tsx';
import { MainClassCode } from './MainClassCode.tsx';
import { MyWorkspace } from './MyWorkspace.tsx';
import './workspaces.css';

export function StudentCode(props: {
  session: CollabSession;
  api: ClassroomApi;
  /** The page's class (a breakout group's id on a group page). */
  classId: string;
  /** The main class: the page's own, or its group's; null until the class state says which. */
  mainClassId: string | null;
  self: { userId: string; name: string; role: 'student' };
  theme: Theme;
  /** The page's code editor (the class's, or the group's). */
  children: ReactNode;
}) {
  const [view, setView] = useState<CodeView>('class');
  const { mainClassId } = props;
  const inGroup = mainClassId !== null && mainClassId !== props.classId;
  const loading = <p className="muted workspace-loading">Opening your workspace…</p>;
  return (
    <>
      <CodeSwitcher view={view} inGroup={inGroup} onChange={setView} />
      <div className="code-view" hidden={view !== 'class'}>
        {props.children}
      </div>
      {view === 'main' && inGroup && (
        <div className="code-view">
          <MainClassCode
            session={props.session}
            mainClassId={mainClassId}
            self={props.self}
            theme={props.theme}
          />
        </div>
      )}
      {view === 'mine' && (
        <div className="code-view">
          {mainClassId === null ? (
            loading
          ) : (
            <MyWorkspace
              session={props.session}
              api={props.api}
              classId={mainClassId}
              self={props.self}
              theme={props.theme}
            />
          )}
        </div>
      )}
    </>
  );
}
