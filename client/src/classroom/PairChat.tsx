// The pair page's chat: the pair's own room (`<classId>/chat/<pairKey>`, the same key as the pair's code
// document), so what a pair writes stays out of the class chat. The server decides who may write.
import { type DocumentName, isStaff } from '@tandem/shared';
import { useMemo } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { useDocHandle } from '../collab/useSession.ts';
import { groupPeople } from '../presence/peerState.ts';
import { ClassroomApi } from './api.ts';
import { ChatPanel } from './chat/ChatPanel.tsx';
import './classroom.css';

const NOTHING = () => {};

export function PairChat({ room, classId, pairKey }: { room: Classroom; classId: string; pairKey: string }) {
  const { session, claims } = room;
  const api = useMemo(() => new ClassroomApi(() => session.token(), classId), [session, classId]);
  const chatName = useMemo<DocumentName>(() => ({ classId, kind: 'chat', key: pairKey }), [classId, pairKey]);
  const handle = useDocHandle(session, chatName, null);
  const people = useMemo(
    () => groupPeople(room.peers).map((p) => ({ id: p.user.id, name: p.user.name, role: p.user.role })),
    [room.peers],
  );
  if (!claims) return null;
  return (
    <section className="classroom-panel pair-chat" aria-label="Pair chat" data-testid="pair-chat">
      <div className="panel-header">
        <h2>Pair chat</h2>
      </div>
      <ChatPanel
        api={api}
        handle={handle}
        room={pairKey}
        selfId={claims.sub}
        staff={isStaff(claims.role)}
        readOnlyReason={claims.role === 'observer' ? 'Observers can read the chat but not write' : null}
        people={people}
        visible
        onUnread={NOTHING}
      />
    </section>
  );
}
