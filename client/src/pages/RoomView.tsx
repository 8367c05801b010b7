// The class workspace shared by the class page, the pair page and the embed: editor and whiteboard tabs on
// the stage, video, people and chat in the sidebar. Which parts show depends on `view`. A pair page has the
// pair's own call and chat.
import { type EmbedView, pairRoom, type Theme } from '@tandem/shared';
import { type Ref, useState } from 'react';
import * as Y from 'yjs';
import type { Classroom } from '../app/useClassroom.ts';
import { Whiteboard } from '../board/Whiteboard.tsx';
import { ClassroomPanel } from '../classroom/ClassroomPanel.tsx';
import { PairChat } from '../classroom/PairChat.tsx';
import { usePersonActions } from '../classroom/PersonActions.tsx';
import { EditorSurface, type EditorSurfaceApi } from '../editor/EditorSurface.tsx';
import { useCodeFiles } from '../editor/useCodeFiles.ts';
import { PeoplePanel } from '../ui/PeoplePanel.tsx';
import { Tabs } from '../ui/Tabs.tsx';
import { VideoPanel } from '../video/VideoPanel.tsx';

const EMPTY_DOC = new Y.Doc();
type StageTab = 'code' | 'board';

export interface RoomViewProps {
  room: Classroom;
  theme: Theme;
  view: EmbedView;
  /** Pair programming: no whiteboard, a small call. */
  compact?: boolean;
  classId: string;
  /** The pair page's key: its call and chat are the pair's own. */
  pairKey?: string;
  editorRef?: Ref<EditorSurfaceApi>;
}

export function RoomView({ room, theme, view, compact = false, classId, pairKey, editorRef }: RoomViewProps) {
  const actionsFor = usePersonActions(room, classId);
  const [tab, setTab] = useState<StageTab>('code');
  const files = useCodeFiles(room.code?.doc ?? EMPTY_DOC);
  const self = room.claims ? { userId: room.claims.sub, role: room.claims.role } : null;
  const following = room.peers.find((p) => p.isSelf)?.following ?? null;
  const showEditor = room.code && self && (view === 'all' || view === 'editor');
  const showBoard = room.board && self && (view === 'all' || view === 'board');
  const showSidebar = view === 'all' || view === 'video';
  const stageTabs = [
    ...(showEditor ? [{ id: 'code' as const, label: 'Code' }] : []),
    ...(showBoard ? [{ id: 'board' as const, label: 'Whiteboard' }] : []),
  ];
  const active: StageTab = stageTabs.some((t) => t.id === tab) ? tab : (stageTabs[0]?.id ?? 'code');

  return (
    <div className={`room room-view-${view}${compact ? ' room-compact' : ''}`}>
      {stageTabs.length > 0 && (
        <section className="stage">
          {stageTabs.length > 1 && <Tabs<StageTab> tabs={stageTabs} current={active} onChange={setTab} />}
          {showEditor && room.code && self && (
            <div className="stage-pane" hidden={active !== 'code'}>
              <EditorSurface
                ref={editorRef}
                handle={room.code}
                peers={room.peers}
                self={self}
                theme={theme}
                pair={pairKey !== undefined}
              />
            </div>
          )}
          {showBoard && room.board && self && (
            <div className="stage-pane" hidden={active !== 'board'}>
              <Whiteboard handle={room.board} userId={self.userId} />
            </div>
          )}
        </section>
      )}
      {showSidebar && (
        <aside className="sidebar">
          <VideoPanel classId={classId} room={room} mediaRoom={pairKey ? pairRoom(pairKey) : undefined} />
          {view === 'all' && (
            <>
              <PeoplePanel
                peers={room.peers}
                files={files}
                following={following}
                onFollow={showEditor ? (id) => editorFollow(editorRef, id) : undefined}
                actionsFor={actionsFor}
              />
              {pairKey !== undefined ? (
                <PairChat room={room} classId={classId} pairKey={pairKey} />
              ) : (
                !compact && <ClassroomPanel room={room} classId={classId} editorRef={editorRef} />
              )}
            </>
          )}
        </aside>
      )}
    </div>
  );
}

function editorFollow(ref: Ref<EditorSurfaceApi> | undefined, userId: string | null): void {
  if (ref && typeof ref === 'object') ref.current?.follow(userId);
}
