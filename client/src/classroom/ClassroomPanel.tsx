// The classroom in the class page's sidebar, as tabs that fill the sidebar's height: people (a slot the page
// fills), chat, raised hands, polls and (for staff) the class controls, breakouts and attendance; notifications for
// announcements and other people's actions; breakout moves applied to this page. Reads the page's one live
// class state.
import {
  type ClassNotice,
  type ClassState,
  type DocumentName,
  isStaff,
  MAIN_CHAT_ROOM,
} from '@tandem/shared';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { useDocHandle } from '../collab/useSession.ts';
import type { ChatFocus } from '../notifications/inboxState.ts';
import { PollsPanel } from '../polls/PollsPanel.tsx';
import { groupPeople } from '../presence/peerState.ts';
import { PastSessions, usePastSessions } from '../replay/PastSessions.tsx';
import { Tabs } from '../ui/Tabs.tsx';
import { AttendanceView } from './AttendanceView.tsx';
import type { ClassroomApi } from './api.ts';
import { BreakoutBar } from './BreakoutBar.tsx';
import { BreakoutPanel } from './BreakoutPanel.tsx';
import { enterGroup, hasLeft, returnToMain } from './breakoutNav.ts';
import { ChatPanel } from './chat/ChatPanel.tsx';
import { HandsPanel } from './HandsPanel.tsx';
import { toastFor } from './notices.ts';
import { RemovedPeople } from './RemovedPeople.tsx';
import { SpotlightView } from './SpotlightView.tsx';
import { StaffControls } from './StaffControls.tsx';
import { type Toast, Toasts, withToast } from './Toasts.tsx';
import type { LiveClass } from './useLiveClass.ts';
import './classroom.css';

type PanelTab = 'people' | 'chat' | 'hands' | 'polls' | 'class' | 'replays';

export interface ClassroomPanelProps {
  room: Classroom;
  classId: string;
  live: LiveClass;
  /** The people list, shown in its own tab. */
  people: ReactNode;
  /** Open the chat tab at this message (a notification was opened). */
  chatFocus?: ChatFocus | null;
}

export function ClassroomPanel({ room, classId, live, people: peopleTab, chatFocus }: ClassroomPanelProps) {
  const { session, claims } = room;
  const { api, state, error } = live;
  const selfId = claims?.sub ?? '';
  const role = claims?.role ?? 'observer';
  const staff = isStaff(role);
  const chatName = useMemo<DocumentName>(() => ({ classId, kind: 'chat', key: MAIN_CHAT_ROOM }), [classId]);
  const chatHandle = useDocHandle(session, chatName, null);
  const [tab, setTab] = useState<PanelTab>('chat');
  const [unread, setUnread] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: string) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  const selfName = claims?.name ?? '';
  useEffect(
    () =>
      live.onNotice((notice: ClassNotice) => {
        const toast = toastFor(notice, { id: selfId, name: selfName });
        if (toast) setToasts((all) => withToast(all, toast));
        // A launched poll is in front of students at once.
        if (notice.type === 'poll' && notice.change === 'opened' && !staff) setTab('polls');
      }),
    [live.onNotice, selfId, selfName, staff],
  );
  useLateJoinerPoll(claims ? state : null, role === 'student', () => setTab('polls'));
  useBreakoutMoves(api, state, staff, () => session.token() ?? '');
  useEffect(() => {
    if (!chatFocus) return;
    if ('pollId' in chatFocus) return setTab('polls');
    setTab('chat');
    const frame = requestAnimationFrame(() =>
      document
        .querySelector(`[data-message-id="${CSS.escape(chatFocus.messageId)}"]`)
        ?.scrollIntoView({ block: 'center' }),
    );
    return () => cancelAnimationFrame(frame);
  }, [chatFocus]);

  const people = useMemo(
    () => groupPeople(room.peers).map((p) => ({ id: p.user.id, name: p.user.name, role: p.user.role })),
    [room.peers],
  );
  const students = useMemo(() => people.filter((p) => p.role === 'student'), [people]);
  const past = usePastSessions(api, staff, state?.session?.id ?? null);
  const studentReplays = !staff && (past.sessions?.length ?? 0) > 0;
  const hands = state?.hands.length ?? 0;
  const openPolls = state?.polls.filter((p) => p.state === 'open').length ?? 0;
  const tabs = [
    { id: 'people' as const, label: `People · ${people.length}` },
    { id: 'chat' as const, label: unread > 0 && tab !== 'chat' ? `Chat · ${unread}` : 'Chat' },
    { id: 'hands' as const, label: staff && hands > 0 ? `Hands · ${hands}` : 'Hands' },
    { id: 'polls' as const, label: openPolls > 0 ? `Polls · ${openPolls}` : 'Polls' },
    ...(staff ? [{ id: 'class' as const, label: 'Class' }] : []),
    ...(studentReplays ? [{ id: 'replays' as const, label: 'Replays' }] : []),
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
      <div className="classroom-tab" hidden={tab !== 'people'}>
        {peopleTab}
      </div>
      <div className="classroom-tab chat-tab" hidden={tab !== 'chat'}>
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
      {tab === 'hands' && state && (
        <div className="classroom-tab">
          <HandsPanel api={api} state={state} role={role} selfId={selfId} />
        </div>
      )}
      {tab === 'polls' && state && (
        <div className="classroom-tab">
          <PollsPanel live={live} role={role} />
        </div>
      )}
      {tab === 'class' && state && staff && (
        <div className="classroom-tab classroom-staff">
          <StaffControls
            api={api}
            state={state}
            role={role}
            students={students}
            classHasSessions={(past.sessions?.length ?? 0) > 0}
          />
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
          {!state.breakoutOf && (
            <PastSessions sessions={past.sessions} error={past.error} token={() => session.token() ?? ''} />
          )}
        </div>
      )}
      {tab === 'replays' && studentReplays && (
        <div className="classroom-tab">
          <PastSessions sessions={past.sessions} error={null} token={() => session.token() ?? ''} />
        </div>
      )}
      {error && <p className="form-error">{error}</p>}
      <Toasts toasts={toasts} dismiss={dismiss} />
    </section>
  );
}

/**
 * A student whose page loads while a poll is open (joined late, reloaded) missed its `opened` notice: on the
 * first class state, an open poll they have not answered opens the Polls tab just as the notice would. `state`
 * is null until the page knows who it is.
 */
function useLateJoinerPoll(state: ClassState | null, student: boolean, openPolls: () => void) {
  const checked = useRef(false);
  useEffect(() => {
    if (!state || checked.current) return;
    checked.current = true;
    const unanswered = state.polls.some((p) => p.state === 'open' && !p.mine?.some((a) => a !== null));
    if (student && unanswered) openPolls();
  }, [state, student, openPolls]);
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
