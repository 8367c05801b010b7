// Entry point: reads the route and the token (from the fragment, then removed from the address bar; or the
// one this tab kept across a reload) and renders the page.
import { createRoot } from 'react-dom/client';
import { parseRoute } from './app/route.ts';
import { type InitialToken, initialToken, keepTokens } from './auth/initialToken.ts';
import { initialReplayToken } from './auth/replayToken.ts';
import { TokenStore } from './auth/TokenStore.ts';
import { ClassRoomPage } from './pages/ClassRoomPage.tsx';
import { DemoPage } from './pages/DemoPage.tsx';
import { EmbedPage } from './pages/EmbedPage.tsx';
import { MessagePage } from './pages/MessagePage.tsx';
import { EmbeddedReplay } from './replay/EmbeddedReplay.tsx';
import { ReplayPage } from './replay/ReplayPage.tsx';
import './styles/index.css';

// Read once, before anything renders: the token leaves the address bar immediately.
const route = parseRoute(window.location.pathname, window.location.search);
const classId =
  route.page === 'class' || route.page === 'pair' || route.page === 'embed' ? route.classId : null;
const start: InitialToken =
  route.page === 'replay'
    ? route.embedClassId
      ? initialToken(route.embedClassId)
      : initialReplayToken(route.sessionId)
    : classId
      ? initialToken(classId)
      : { token: null, expired: false };
const tokens = new TokenStore(start.token);
if (classId) keepTokens(tokens, classId);
else if (route.page === 'replay' && route.embedClassId) keepTokens(tokens, route.embedClassId);

function App() {
  switch (route.page) {
    case 'home':
      return (
        <MessagePage title="Tandem">
          <p>Live programming classes: a shared editor, a whiteboard and video in one page.</p>
          <p>
            Open the link your course page gave you, or try the <a href="/demo">demo class</a>.
          </p>
        </MessagePage>
      );
    case 'demo':
      return <DemoPage />;
    case 'notFound':
      return (
        <MessagePage title="Page not found">
          <p>
            There is nothing at this address. Class links look like <code>/c/&lt;class&gt;#token=…</code>.
          </p>
        </MessagePage>
      );
    case 'embed':
      return (
        <EmbedPage
          tokens={tokens}
          classId={route.classId}
          view={route.view}
          codeKey={route.codeKey}
          signInExpired={start.expired}
        />
      );
    case 'replay':
      if (route.embedClassId)
        return <EmbeddedReplay tokens={tokens} sessionId={route.sessionId} initialT={route.t} />;
      if (!tokens.token) {
        return (
          <MessagePage title={start.expired ? 'Your sign-in has expired' : 'No sign-in token'}>
            <p data-testid="replay-no-token">
              {start.expired
                ? 'This tab kept you signed in, but that sign-in has run out. '
                : 'This replay link has no token. '}
              Open the replay again from the class page (Class tab, Past sessions) or your course page.
            </p>
          </MessagePage>
        );
      }
      return <ReplayPage token={tokens.token} sessionId={route.sessionId} initialT={route.t} />;
    case 'class':
    case 'pair': {
      if (!tokens.token && start.expired) {
        return (
          <MessagePage title="Your sign-in has expired">
            <p data-testid="signin-expired">
              This tab kept you signed in to the class, but that sign-in has run out. Open the class again
              from your course page: its link signs you in afresh.
            </p>
          </MessagePage>
        );
      }
      if (!tokens.token) {
        return (
          <MessagePage title="No sign-in token">
            <p>
              This class link has no token. Open the class from your course page (the link ends in{' '}
              <code>#token=…</code>), or try the <a href="/demo">demo class</a>.
            </p>
          </MessagePage>
        );
      }
      return route.page === 'class' ? (
        <ClassRoomPage tokens={tokens} classId={route.classId} codeKey={route.codeKey} />
      ) : (
        <ClassRoomPage tokens={tokens} classId={route.classId} codeKey={route.key} pair />
      );
    }
    default: {
      const unreachable: never = route;
      return unreachable;
    }
  }
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
