// The classroom in the class page's sidebar: chat, raised hands and (for staff) the class controls,
// breakouts and attendance; notifications for announcements; "follow me" and breakout moves applied to this
// page. Mounted by the shell with the room it already has open.
import {
  type ClassNotice,
  type ClassState,
  type DocumentName,
  isStaff,
  MAIN_CHAT_ROOM,
} from '@tandem/shared';
import { type Ref, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { useDocHandle } from '../collab/useSession.ts';
import type { EditorSurfaceApi } from '../editor/EditorSurface.tsx';
import { groupPeople } from '../presence/peerState.ts';
import { Tabs } from '../ui/Tabs.tsx';
import { AttendanceView } from './AttendanceView.tsx';
import { ClassroomApi } from './api.ts';
import { BreakoutBar } from './BreakoutBar.tsx';
import { BreakoutPanel } from './BreakoutPanel.tsx';
import { enterGroup, hasLeft, returnToMain } from './breakoutNav.ts';
import { ChatPanel } from './chat/ChatPanel.tsx';
import { HandsPanel } from './HandsPanel.tsx';
import { toastFor } from './notices.ts';
import { RemovedPeople } from './RemovedPeople.tsx';
import { SpotlightView } from './SpotlightView.tsx';
import { StaffControls } from './StaffControls.tsx';
import { type Toast, Toasts } from './Toasts.tsx';
import { useClassState } from './useClassState.ts';
import './classroom.css';

type PanelTab = 'chat' | 'hands' | 'class';

export interface ClassroomPanelProps {
  room: Classroom;
  classId: string;
  editorRef?: Ref<EditorSurfaceApi>;
}

export function ClassroomPanel({ room, classId, editorRef }: ClassroomPanelProps) {
  const { session, claims } = room;
  const selfId = claims?.sub ?? '';
  const role = claims?.role ?? 'observer';
  const staff = isStaff(role);
  const api = useMemo(() => new ClassroomApi(() => session.token(), classId), [session, classId]);
  const chatName = useMemo<DocumentName>(() => ({ classId, kind: 'chat', key: MAIN_CHAT_ROOM }), [classId]);
  const chatHandle = useDocHandle(session, chatName, null);
  const [tab, setTab] = useState<PanelTab>('chat');
  const [unread, setUnread] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: string) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  const onNotice = useCallback(
    (notice: ClassNotice) => {
      const toast = toastFor(notice, { id: claims?.sub ?? '', name: claims?.name ?? '' });
      if (toast) setToasts((all) => [...all.slice(-4), toast]);
    },
    [claims?.sub, claims?.name],
  );
  const { state, error } = useClassState(api, chatHandle, onNotice);
  useFollowLeader(state?.followMe?.id ?? null, selfId, editorRef);
  useBreakoutMoves(api, state, staff, () => session.token() ?? '');

  const people = useMemo(
    () => groupPeople(room.peers).map((p) => ({ id: p.user.id, name: p.user.name, role: p.user.role })),
    [room.peers],
  );
  const students = useMemo(() => people.filter((p) => p.role === 'student'), [people]);
  const tabs = [
    { id: 'chat' as const, label: unread > 0 && tab !== 'chat' ? `Chat · ${unread}` : 'Chat' },
    { id: 'hands' as const, label: staff && state?.hands.length ? `Hands · ${state.hands.length}` : 'Hands' },
    ...(staff ? [{ id: 'class' as const, label: 'Class' }] : []),
  ];

  if (!claims) return null;
  const readOnlyReason =
    role === 'observer'
      ? 'Observers can read the chat but not write'
      : state?.chat.muted
        ? 'A moderator muted you in the chat'
        : state?.breakoutOf?.closed
          ? 'This breakout room is closed'
          : null;

  return (
    <section className="classroom-panel" aria-label="Classroom" data-testid="classroom-panel">
      {state && <BreakoutBar state={state} />}
      {state && !state.breakoutOf && (
        <BreakoutPanel
          api={api}
          state={state}
          staff={false}
          mainToken={session.token() ?? ''}
          students={students}
        />
      )}
      {state?.spotlight && state.spotlight.user.id !== selfId && (
        <SpotlightView session={session} spotlight={state.spotlight} classId={classId} />
      )}
      <Tabs<PanelTab> tabs={tabs} current={tab} onChange={setTab} />
      <div hidden={tab !== 'chat'}>
        <ChatPanel
          api={api}
          handle={chatHandle}
          room={MAIN_CHAT_ROOM}
          selfId={selfId}
          staff={staff}
          readOnlyReason={readOnlyReason}
          people={people}
          visible={tab === 'chat'}
          onUnread={setUnread}
        />
      </div>
      {tab === 'hands' && state && <HandsPanel api={api} state={state} role={role} selfId={selfId} />}
      {tab === 'class' && state && staff && (
        <div className="classroom-staff">
          <StaffControls api={api} state={state} role={role} selfId={selfId} students={students} />
          {state.removed && <RemovedPeople api={api} removed={state.removed} />}
          {!state.breakoutOf && (
            <BreakoutPanel
              api={api}
              state={state}
              staff
              mainToken={session.token() ?? ''}
              students={students}
            />
          )}
          {state.session && <AttendanceView api={api} session={state.session} />}
        </div>
      )}
      {error && <p className="form-error">{error}</p>}
      <Toasts toasts={toasts} dismiss={dismiss} />
    </section>
  );
}

/**
 * Students go to their group when breakouts open (unless they came back on their own) and back to the main
 * room when the groups close. Driven by the class state, which notices keep current, so a missed notice
 * (reconnecting, page still loading) changes nothing.
 */
function useBreakoutMoves(api: ClassroomApi, state: ClassState | null, staff: boolean, token: () => string) {
  const moving = useRef(false);
  const myGroup =
    state?.breakouts?.state === 'open'
      ? state.breakouts.groups.find((g) => g.id === state.breakouts?.myGroupId)
      : undefined;
  const groupToEnter =
    !staff && !state?.breakoutOf && myGroup && !hasLeft(myGroup.classId) ? myGroup.classId : null;
  const closedGroup = !staff && state?.breakoutOf?.closed ? state.classId : null;
  useEffect(() => {
    if (moving.current) return;
    if (groupToEnter) {
      moving.current = true;
      api.breakoutToken().then(
        (reply) => enterGroup({ classId: api.classId, token: token() }, reply),
        () => {
          moving.current = false;
        },
      );
    } else if (closedGroup) {
      moving.current = returnToMain(closedGroup);
    }
  }, [api, groupToEnter, closedGroup, token]);
}

/** "Follow me" from the server: this page's editor follows the leader (unless we are the leader). */
function useFollowLeader(
  leaderId: string | null,
  selfId: string,
  editorRef: Ref<EditorSurfaceApi> | undefined,
) {
  const following = useRef<string | null>(null);
  useEffect(() => {
    const editor = editorRef && typeof editorRef === 'object' ? editorRef.current : null;
    if (leaderId && leaderId !== selfId) {
      editor?.follow(leaderId);
      following.current = leaderId;
    } else if (!leaderId && following.current) {
      editor?.follow(null);
      following.current = null;
    }
  }, [leaderId, selfId, editorRef]);
}
