// `/embed/<classId>?view=editor|board|video|all`: the class without page chrome, for iframes on course pages.
// The token comes from the fragment or from the host's `setToken`; the host page is told what happens.
import type { EmbedView } from '@tandem/shared';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import { useTheme } from '../app/theme.ts';
import { useClassroom } from '../app/useClassroom.ts';
import type { TokenStore } from '../auth/TokenStore.ts';
import { Toasts } from '../classroom/Toasts.tsx';
import type { EditorSurfaceApi } from '../editor/EditorSurface.tsx';
import { useCodeFiles } from '../editor/useCodeFiles.ts';
import {
  allowedOriginsFromPage,
  type CommandHandler,
  EmbedBridge,
  resolveParentOrigin,
} from '../embed/EmbedBridge.ts';
import { useEmbedEvents } from '../embed/useEmbedEvents.ts';
import { useEmbedNotifications } from '../embed/useEmbedNotifications.ts';
import { InboxButton } from '../notifications/InboxButton.tsx';
import { type ChatFocus, chatFocusOf } from '../notifications/inboxState.ts';
import { useInbox } from '../notifications/useInbox.ts';
import { RecoveredEdits } from '../ui/RecoveredEdits.tsx';
import { RefusedGate } from '../ui/RefusedBanner.tsx';
import { StatusBar } from '../ui/StatusBar.tsx';
import { MessagePage } from './MessagePage.tsx';
import { RoomView } from './RoomView.tsx';

const EMPTY_DOC = new Y.Doc();

function createBridge(): EmbedBridge {
  const framed = window.parent !== window;
  const parentOrigin = resolveParentOrigin({
    framed,
    selfOrigin: window.location.origin,
    allowed: allowedOriginsFromPage(document),
    queryParent: new URLSearchParams(window.location.search).get('parent'),
    referrer: document.referrer,
    ancestorOrigins: window.location.ancestorOrigins ? [...window.location.ancestorOrigins] : [],
  });
  return new EmbedBridge(window.parent, parentOrigin);
}

export function EmbedPage({
  tokens,
  classId,
  view,
  codeKey,
  signInExpired,
}: {
  tokens: TokenStore;
  classId: string;
  view: EmbedView;
  codeKey: string;
  /** This frame had kept a sign-in across a reload, and it expired. */
  signInExpired: boolean;
}) {
  const [bridge] = useState(createBridge);
  const [theme, setTheme] = useTheme();
  const token = useSyncExternalStore(
    (notify) => tokens.subscribe(notify),
    () => tokens.token,
  );
  const editorRef = useRef<EditorSurfaceApi>(null);

  useEffect(() => {
    const handler: CommandHandler = (command) => {
      switch (command.type) {
        case 'setToken':
          tokens.set(command.token);
          return { ok: true };
        case 'setTheme':
          setTheme(command.theme);
          return { ok: true };
        case 'openFile':
          return editorRef.current?.openFileByName(command.name)
            ? { ok: true }
            : { ok: false, code: 'not_found', message: `no file named "${command.name.slice(0, 100)}"` };
        case 'follow':
          editorRef.current?.follow(command.userId);
          return { ok: true };
        default: {
          const unreachable: never = command;
          return unreachable;
        }
      }
    };
    bridge.setHandler(handler);
    bridge.send({ type: 'ready', view, needsToken: tokens.token === null });
    if (!bridge.parentOrigin && tokens.token === null)
      console.warn('tandem embed: not framed by an allowed origin');
    return () => bridge.setHandler(null);
  }, [bridge, tokens, view, setTheme]);
  useEffect(() => () => bridge.destroy(), [bridge]);

  if (!token) {
    return (
      <MessagePage title={signInExpired ? 'Your sign-in has expired' : 'Waiting for sign-in'}>
        {signInExpired ? (
          <p data-testid="signin-expired">
            The sign-in this frame kept has run out. The course page signs you in again (it sends a fresh
            token with <code>setToken</code>); if nothing happens, reload the course page.
          </p>
        ) : (
          <p>This class is embedded in a course page, which signs you in.</p>
        )}
        {!bridge.parentOrigin && (
          <p className="muted">
            This page is not embedded by an allowed site, so it cannot receive a sign-in.
          </p>
        )}
      </MessagePage>
    );
  }
  return (
    <EmbeddedRoom
      tokens={tokens}
      bridge={bridge}
      classId={classId}
      view={view}
      codeKey={codeKey}
      theme={theme}
      editorRef={editorRef}
    />
  );
}

function EmbeddedRoom(props: {
  tokens: TokenStore;
  bridge: EmbedBridge;
  classId: string;
  view: EmbedView;
  codeKey: string;
  theme: ReturnType<typeof useTheme>[0];
  editorRef: React.RefObject<EditorSurfaceApi | null>;
}) {
  const { tokens, bridge, classId, view, codeKey, theme, editorRef } = props;
  const room = useClassroom(tokens, {
    classId,
    // The code document also carries presence (people, follow), so every view opens it.
    codeKey,
    board: view === 'board' || view === 'all',
  });
  const files = useCodeFiles(room.code?.doc ?? EMPTY_DOC);
  const names = useMemo(() => new Map(files.map((f) => [f.id, f.name])), [files]);
  useEmbedEvents(bridge, room, (id) => names.get(id));
  // Notifications stay in the page (a bell and toasts) and go to the host page; never browser notifications.
  const inbox = useInbox(room, classId);
  const notices = useEmbedNotifications(bridge, inbox, view);
  const [chatFocus, setChatFocus] = useState<ChatFocus | null>(null);
  const openNotification = useCallback(
    (n: Parameters<typeof chatFocusOf>[0]) => setChatFocus((now) => chatFocusOf(n, Date.now()) ?? now),
    [],
  );
  return (
    <div className="app-shell embed">
      <div className="embed-bar">
        <StatusBar session={room.session} handles={room.handles} />
        <InboxButton inbox={inbox} framed onOpen={openNotification} />
      </div>
      <RecoveredEdits session={room.session} />
      <RefusedGate session={room.session}>
        <RoomView
          room={room}
          theme={theme}
          view={view}
          classId={classId}
          editorRef={editorRef}
          chatFocus={chatFocus}
        />
      </RefusedGate>
      <Toasts toasts={notices.toasts} dismiss={notices.dismiss} />
    </div>
  );
}
