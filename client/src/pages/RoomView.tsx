// The class workspace shared by the class page, the pair page and the embed: the main area (code,
// whiteboard, or the stage with the call shown large) and the sidebar (the call, people, chat, hands, class
// controls). Which parts show depends on `view`. Owns what the parts share: the live class state, the call,
// the main area's tab (which follows staff who bring everyone to the stage) and this person's `view` in
// presence (so the people list can say where everyone is). A pair page has the pair's own call and chat.
import { type EmbedView, pairRoom, type Theme } from '@tandem/shared';
import { type ReactNode, type Ref, useEffect, useRef, useState } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { type PersonActionsFor, usePersonActions } from '../classroom/PersonActions.tsx';
import { type LiveClass, useLiveClass } from '../classroom/useLiveClass.ts';
import { setPresence } from '../collab/useCollab.ts';
import type { EditorSurfaceApi } from '../editor/EditorSurface.tsx';
import type { ChatFocus } from '../notifications/inboxState.ts';
import type { PresenceView } from '../presence/peerState.ts';
import { CallAudio } from '../video/CallAudio.tsx';
import type { StageMode } from '../video/stageLayout.ts';
import { type Call, useCall } from '../video/useCall.ts';
import { Sidebar } from './Sidebar.tsx';
import { type MainTab, Workspace } from './Workspace.tsx';

export interface RoomViewProps {
  room: Classroom;
  theme: Theme;
  view: EmbedView;
  /** Pair programming: no whiteboard, no stage, a small call. */
  compact?: boolean;
  classId: string;
  /** The pair page's key: its call and chat are the pair's own. */
  pairKey?: string;
  editorRef?: Ref<EditorSurfaceApi>;
  /** Open the chat at this message (a notification was opened). */
  chatFocus?: ChatFocus | null;
}

export function RoomView(props: RoomViewProps) {
  const live = useLiveClass(props.room, props.classId);
  const actionsFor = usePersonActions(props.room, props.classId);
  const withCall = props.view === 'all' || props.view === 'video';
  const mediaRoom = props.pairKey !== undefined ? pairRoom(props.pairKey) : undefined;
  return withCall ? (
    <WithCall classId={props.classId} room={props.room} mediaRoom={mediaRoom}>
      {(call) => <Room {...props} live={live} call={call} actionsFor={actionsFor} />}
    </WithCall>
  ) : (
    <Room {...props} live={live} call={null} actionsFor={actionsFor} />
  );
}

function WithCall(props: {
  classId: string;
  room: Classroom;
  mediaRoom: string | undefined;
  children(call: Call): ReactNode;
}) {
  const call = useCall(props.classId, props.room, props.mediaRoom);
  return (
    <>
      {props.children(call)}
      <CallAudio state={call.state} />
    </>
  );
}

function Room({
  room,
  theme,
  view,
  compact = false,
  classId,
  pairKey,
  editorRef,
  chatFocus,
  live,
  call,
  actionsFor,
}: RoomViewProps & { live: LiveClass; call: Call | null; actionsFor: PersonActionsFor | undefined }) {
  const hasStage = call !== null && !compact;
  const [tab, setTab] = useMainTab(view === 'video' ? 'stage' : 'code', hasStage, live);
  const [mode, setMode] = useState<StageMode>('speaker');
  const [pinned, setPinned] = useState<string | null>(null);
  const stageShown = hasStage && (view === 'video' || tab === 'stage');
  usePresenceView(
    room,
    view === 'video' ? 'video' : tab === 'board' ? 'board' : tab === 'stage' ? 'video' : 'editor',
  );

  return (
    <div className={`room room-view-${view}${compact ? ' room-compact' : ''}`}>
      <Workspace
        room={room}
        theme={theme}
        view={view}
        classId={classId}
        editorRef={editorRef}
        live={live}
        call={hasStage ? call : null}
        tab={tab}
        onTab={setTab}
        stage={{ mode, setMode, pinned, setPinned }}
        pair={pairKey !== undefined}
        actionsFor={actionsFor}
      />
      {view === 'all' && (
        <Sidebar
          room={room}
          classId={classId}
          compact={compact}
          live={live}
          call={stageShown ? null : call}
          editorRef={editorRef}
          onOpenStage={hasStage ? () => setTab('stage') : undefined}
          pairKey={pairKey}
          actionsFor={actionsFor}
          chatFocus={chatFocus ?? null}
        />
      )}
    </div>
  );
}

/**
 * The main area's tab. When staff bring everyone to the stage, the stage opens (once per time they do:
 * people may still go back to their code); when they let everyone go, the page returns to where it was.
 */
function useMainTab(initial: MainTab, hasStage: boolean, live: LiveClass): [MainTab, (tab: MainTab) => void] {
  const [tab, setTab] = useState<MainTab>(initial);
  const broughtBy = hasStage ? (live.state?.stage?.id ?? null) : null;
  const before = useRef<MainTab | null>(null);
  useEffect(() => {
    if (broughtBy) {
      setTab((current) => {
        before.current = current === 'stage' ? before.current : current;
        return 'stage';
      });
    } else if (before.current) {
      const back = before.current;
      before.current = null;
      setTab((current) => (current === 'stage' ? back : current));
    }
  }, [broughtBy]);
  return [tab, setTab];
}

/** Publishes what this page shows (editor, whiteboard or stage) on every open document's presence. */
function usePresenceView(room: Classroom, view: PresenceView) {
  useEffect(() => {
    for (const handle of room.handles) setPresence(handle.awareness, { view });
  }, [room.handles, view]);
}
