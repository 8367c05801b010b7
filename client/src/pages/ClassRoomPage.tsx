// `/c/<classId>` and `/c/<classId>/pair/<key>`: the full class page with header (status, the notification
// inbox), and workspace; notifications open the chat at their message, and show in the browser's own
// notifications while the tab is in the background.
import type { UserNotification } from '@tandem/shared';
import { useCallback, useRef, useState } from 'react';
import { useTheme } from '../app/theme.ts';
import { useClassroom } from '../app/useClassroom.ts';
import type { TokenStore } from '../auth/TokenStore.ts';
import type { EditorSurfaceApi } from '../editor/EditorSurface.tsx';
import { useDesktopNotifications } from '../notifications/desktopNotifications.ts';
import { InboxButton } from '../notifications/InboxButton.tsx';
import { type ChatFocus, chatFocusOf } from '../notifications/inboxState.ts';
import { useInbox } from '../notifications/useInbox.ts';
import { Icon } from '../ui/icons.tsx';
import { RecoveredEdits } from '../ui/RecoveredEdits.tsx';
import { RefusedGate } from '../ui/RefusedBanner.tsx';
import { StatusBar } from '../ui/StatusBar.tsx';
import { UserChip } from '../ui/UserChip.tsx';
import { RoomView } from './RoomView.tsx';

export function ClassRoomPage({
  tokens,
  classId,
  codeKey,
  pair = false,
}: {
  tokens: TokenStore;
  classId: string;
  codeKey: string;
  pair?: boolean;
}) {
  const [theme, setTheme] = useTheme();
  const room = useClassroom(tokens, { classId, codeKey, board: !pair });
  const editorRef = useRef<EditorSurfaceApi>(null);
  const inbox = useInbox(room, classId);
  const [chatFocus, setChatFocus] = useState<ChatFocus | null>(null);
  const openNotification = useCallback(
    (n: UserNotification) => setChatFocus((now) => chatFocusOf(n, Date.now()) ?? now),
    [],
  );
  // Framed pages (only /embed is meant to be) never ask for browser notifications.
  const framed = window.self !== window.top;
  useDesktopNotifications(inbox, framed, openNotification);
  return (
    <div className="app-shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo">
            <Icon name="logo" size={18} />
          </span>
          Tandem
          <span className="class-name">
            {classId}
            {pair ? ` · pair ${codeKey}` : ''}
          </span>
        </div>
        <StatusBar session={room.session} handles={room.handles} />
        <InboxButton inbox={inbox} framed={framed} onOpen={openNotification} />
        <UserChip claims={room.claims} theme={theme} onTheme={setTheme} />
      </header>
      <RecoveredEdits session={room.session} />
      <RefusedGate session={room.session}>
        <RoomView
          room={room}
          theme={theme}
          view="all"
          compact={pair}
          classId={classId}
          pairKey={pair ? codeKey : undefined}
          editorRef={editorRef}
          chatFocus={chatFocus}
        />
      </RefusedGate>
    </div>
  );
}
