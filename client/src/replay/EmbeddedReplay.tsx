// The replay page in an iframe (`/embed/<classId>?view=replay&session=<sid>`): like the other embeds it says
// `ready` to its host and takes `setToken` and `setTheme`; commands about a live class (`openFile`, `follow`)
// are refused as `bad_command`.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTheme } from '../app/theme.ts';
import type { TokenStore } from '../auth/TokenStore.ts';
import {
  allowedOriginsFromPage,
  type CommandHandler,
  EmbedBridge,
  resolveParentOrigin,
} from '../embed/EmbedBridge.ts';
import { MessagePage } from '../pages/MessagePage.tsx';
import { ReplayPage } from './ReplayPage.tsx';

function createBridge(): EmbedBridge {
  return new EmbedBridge(
    window.parent,
    resolveParentOrigin({
      framed: window.parent !== window,
      selfOrigin: window.location.origin,
      allowed: allowedOriginsFromPage(document),
      queryParent: new URLSearchParams(window.location.search).get('parent'),
      referrer: document.referrer,
      ancestorOrigins: window.location.ancestorOrigins ? [...window.location.ancestorOrigins] : [],
    }),
  );
}

export function EmbeddedReplay({
  tokens,
  sessionId,
  initialT,
}: {
  tokens: TokenStore;
  sessionId: string;
  initialT: number | null;
}) {
  const [bridge] = useState(createBridge);
  const [, setTheme] = useTheme();
  const token = useSyncExternalStore(
    (notify) => tokens.subscribe(notify),
    () => tokens.token,
  );
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
        case 'follow':
          return { ok: false, code: 'bad_command', message: `${command.type} is not available in a replay` };
        default: {
          const unreachable: never = command;
          return unreachable;
        }
      }
    };
    bridge.setHandler(handler);
    bridge.send({ type: 'ready', view: 'replay', needsToken: tokens.token === null });
    return () => bridge.setHandler(null);
  }, [bridge, tokens, setTheme]);
  useEffect(() => () => bridge.destroy(), [bridge]);

  if (!token) {
    return (
      <MessagePage title="Waiting for sign-in">
        <p data-testid="replay-no-token">This replay is embedded in a course page, which signs you in.</p>
      </MessagePage>
    );
  }
  // A new token (setToken) opens the replay again with it.
  return <ReplayPage key={token} token={token} sessionId={sessionId} initialT={initialT} />;
}
