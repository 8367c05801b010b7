// The sidebar, sized to fit a laptop screen: the call (while the stage is not in the main area) above a
// tabbed panel that takes the rest of the height (people, chat with its input always in view, hands, class
// controls). The pair page has no classroom panel: the pair's call, the people list and the pair's chat.
import { isStaff } from '@tandem/shared';
import type { Ref } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { ClassroomPanel } from '../classroom/ClassroomPanel.tsx';
import { PairChat } from '../classroom/PairChat.tsx';
import type { PersonActionsFor } from '../classroom/PersonActions.tsx';
import type { LiveClass } from '../classroom/useLiveClass.ts';
import type { EditorSurfaceApi } from '../editor/EditorSurface.tsx';
import { useCodeFiles } from '../editor/useCodeFiles.ts';
import type { ChatFocus } from '../notifications/inboxState.ts';
import { RecordingBanner } from '../recording/RecordingBanner.tsx';
import { PeoplePanel } from '../ui/PeoplePanel.tsx';
import type { Call } from '../video/useCall.ts';
import { VideoPanel } from '../video/VideoPanel.tsx';
import { EMPTY_DOC } from './Workspace.tsx';

export interface SidebarProps {
  room: Classroom;
  classId: string;
  compact: boolean;
  live: LiveClass;
  /** The call, unless the stage shows it. */
  call: Call | null;
  editorRef?: Ref<EditorSurfaceApi>;
  onOpenStage?(): void;
  /** The pair page's key: the pair's own chat below the people. */
  pairKey?: string;
  /** Staff: the per-person actions menu of people rows and tiles. */
  actionsFor: PersonActionsFor | undefined;
  /** Open the chat at this message (a notification was opened). */
  chatFocus: ChatFocus | null;
}

export function Sidebar(props: SidebarProps) {
  const { room, classId, compact, live, call, editorRef, onOpenStage, pairKey, actionsFor, chatFocus } =
    props;
  const files = useCodeFiles(room.code?.doc ?? EMPTY_DOC);
  const following = room.peers.find((p) => p.isSelf)?.following ?? null;
  const claims = room.claims;
  const people = (
    <PeoplePanel
      peers={room.peers}
      files={files}
      following={following}
      onFollow={room.code ? (id) => editorFollow(editorRef, id) : undefined}
      hands={{ ids: live.state?.hands.map((h) => h.userId) ?? [], ordered: !!claims && isStaff(claims.role) }}
      leaderId={live.state?.followMe?.id ?? null}
      actionsFor={actionsFor}
    />
  );
  return (
    <aside className="sidebar">
      <RecordingBanner recording={live.state?.recording ?? null} inCall={call?.state.phase === 'joined'} />
      {call && claims && (
        <VideoPanel
          call={call}
          self={{ userId: claims.sub, name: claims.name }}
          onOpenStage={onOpenStage}
          actionsFor={actionsFor}
        />
      )}
      {compact ? (
        <>
          <div className="sidebar-people">
            <div className="panel-header">
              <h2>People</h2>
            </div>
            {people}
          </div>
          {pairKey !== undefined && (
            <div className="sidebar-chat">
              <PairChat room={room} classId={classId} pairKey={pairKey} />
            </div>
          )}
        </>
      ) : (
        <ClassroomPanel room={room} classId={classId} live={live} people={people} chatFocus={chatFocus} />
      )}
    </aside>
  );
}

function editorFollow(ref: Ref<EditorSurfaceApi> | undefined, userId: string | null): void {
  if (ref && typeof ref === 'object') ref.current?.follow(userId);
}
