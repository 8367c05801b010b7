// The main area: tabs for the code editor, the whiteboard and the stage (the call shown large). The editor
// and whiteboard stay mounted when hidden (they keep their state); the stage is mounted only while shown, so
// its tiles never compete with the sidebar's for the same video. Staff also get the wall of students'
// workspaces (mounted only while shown, so its tiles hold no document open otherwise; not in a breakout
// group); students switch the code tab between the class code and their own workspace (in a group: the
// group's code, the main class's code, and their one workspace of the main class).
import { type EmbedView, isStaff, type Theme } from '@tandem/shared';
import type { ReactNode, Ref } from 'react';
import * as Y from 'yjs';
import type { Classroom } from '../app/useClassroom.ts';
import { Whiteboard } from '../board/Whiteboard.tsx';
import type { PersonActionsFor } from '../classroom/PersonActions.tsx';
import type { LiveClass } from '../classroom/useLiveClass.ts';
import { EditorSurface, type EditorSurfaceApi } from '../editor/EditorSurface.tsx';
import { Tabs } from '../ui/Tabs.tsx';
import { type StageChoices, StageView } from '../video/StageView.tsx';
import type { Call } from '../video/useCall.ts';
import { Wall } from '../wall/Wall.tsx';
import { StudentCode } from '../workspaces/StudentCode.tsx';

export type MainTab = 'code' | 'board' | 'stage' | 'wall';

export const EMPTY_DOC = new Y.Doc();

export interface WorkspaceProps {
  room: Classroom;
  theme: Theme;
  view: EmbedView;
  classId: string;
  editorRef?: Ref<EditorSurfaceApi>;
  live: LiveClass;
  /** The call, when this page has a stage. */
  call: Call | null;
  tab: MainTab;
  onTab(tab: MainTab): void;
  stage: StageChoices;
  /** A pair's document (its starter file speaks to the pair). */
  pair: boolean;
  /** Staff: the per-person actions menu on the stage's tiles. */
  actionsFor: PersonActionsFor | undefined;
}

export function Workspace(props: WorkspaceProps) {
  const { room, theme, view, editorRef, live, call, tab, onTab, stage, pair, actionsFor } = props;
  const claims = room.claims;
  const self = claims ? { userId: claims.sub, role: claims.role, name: claims.name } : null;
  const staff = self ? isStaff(self.role) : false;
  const showEditor = room.code && self && (view === 'all' || view === 'editor');
  const showBoard = room.board && self && (view === 'all' || view === 'board');
  // No stage tab on a server without video (the sidebar says why); the video-only embed shows it anyway.
  const showStage =
    call && self && (view === 'video' || (view === 'all' && call.status?.available !== false));
  const inGroup = Boolean(live.state?.breakoutOf);
  const sharing = call?.state.peers.some((p) => p.streams.some((s) => s.source === 'screen'));
  const tabs = [
    ...(showEditor ? [{ id: 'code' as const, label: 'Code' }] : []),
    ...(showBoard ? [{ id: 'board' as const, label: 'Whiteboard' }] : []),
    ...(showStage ? [{ id: 'stage' as const, label: sharing ? 'Stage · screen shared' : 'Stage' }] : []),
    // Staff: every student's workspace (not on a pair's page, nor a breakout group's: the wall is the main
    // class's, in the main room).
    ...(showEditor && staff && !pair && !inGroup ? [{ id: 'wall' as const, label: 'Wall' }] : []),
  ];
  const student = self?.role === 'student' && !pair ? { ...self, role: 'student' as const } : null;
  const active: MainTab = tabs.some((t) => t.id === tab) ? tab : (tabs[0]?.id ?? 'code');
  if (tabs.length === 0) return null;
  const leader = live.state?.followMe ?? null;
  // Students switch between the class code and their own workspace.
  const withSwitcher = (editor: ReactNode) =>
    student ? (
      <StudentCode
        session={room.session}
        api={live.api}
        classId={props.classId}
        mainClassId={live.state ? (live.state.breakoutOf?.classId ?? props.classId) : null}
        self={student}
        theme={theme}
      >
        {editor}
      </StudentCode>
    ) : (
      editor
    );

  return (
    <section className="workspace">
      {tabs.length > 1 && <Tabs<MainTab> tabs={tabs} current={active} onChange={onTab} />}
      {showEditor && room.code && self && (
        <div className="workspace-pane" hidden={active !== 'code'}>
          {withSwitcher(
            <EditorSurface
              ref={editorRef}
              handle={room.code}
              peers={room.peers}
              self={self}
              theme={theme}
              pair={pair}
              leader={leader}
              onLead={staff ? (on) => live.api.setFollowMe(on).finally(live.reload) : undefined}
            />,
          )}
        </div>
      )}
      {showEditor && staff && active === 'wall' && (
        <div className="workspace-pane">
          <Wall room={room} live={live} classId={props.classId} theme={theme} />
        </div>
      )}
      {showBoard && room.board && self && (
        <div className="workspace-pane" hidden={active !== 'board'}>
          <Whiteboard handle={room.board} userId={self.userId} />
        </div>
      )}
      {showStage && call && self && active === 'stage' && (
        <div className="workspace-pane">
          <StageView
            call={call}
            self={self}
            choices={stage}
            broughtBy={live.state?.stage ?? null}
            actionsFor={actionsFor}
            onBringEveryone={staff ? (on) => live.api.setStage(on).finally(live.reload) : undefined}
          />
        </div>
      )}
    </section>
  );
}
