// Components rendered to static markup (react-dom/server, no DOM needed): what each panel shows for a given
// state, and that user-controlled strings come out as escaped text.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BoardToolbar, type BoardToolbarProps } from '../../../client/src/board/BoardToolbar.tsx';
import { TOOLS } from '../../../client/src/board/tools.ts';
import { FollowBar } from '../../../client/src/editor/FollowBar.tsx';
import type { FollowControls } from '../../../client/src/editor/useFollow.ts';
import { type Peer, readPeer } from '../../../client/src/presence/peerState.ts';
import { PeoplePanel } from '../../../client/src/ui/PeoplePanel.tsx';
import { CallControls } from '../../../client/src/video/CallControls.tsx';
import * as S from '../../../client/src/video/mediaState.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

function peer(
  clientId: number,
  id: string,
  name: string,
  role: Peer['user']['role'],
  extra: Record<string, unknown> = {},
): Peer {
  const p = readPeer(clientId, { user: { id, name, role }, ...extra }, 1);
  if (!p) throw new Error('bad peer');
  return p;
}

describe('PeoplePanel', () => {
  const peers = [
    peer(1, 'me', 'Me Myself', 'student'),
    peer(2, 'evil', HOSTILE, 'student', { idle: true, file: 'f1' }),
    peer(3, 'ada', 'Ada', 'instructor', { media: { mic: true, cam: true } }),
  ];
  const html = renderToStaticMarkup(
    createElement(PeoplePanel, { peers, files: [], following: 'ada', onFollow: () => undefined }),
  );

  it('escapes names and lists staff first', () => {
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.indexOf('data-user-id="ada"')).toBeLessThan(html.indexOf('data-user-id="evil"'));
  });

  it('marks you, idle people and whom you follow; offers no follow button for yourself', () => {
    expect(html).toMatch(/data-user-id="me"[\s\S]*\(you\)/);
    expect(html).toContain('class="person idle" data-user-id="evil"');
    expect(html).toContain('aria-label="Stop following Ada"');
    expect(html.match(/follow-button/g)).toHaveLength(2);
  });

  it('shows microphone and camera state', () => {
    const ada = html.slice(html.indexOf('data-user-id="ada"'), html.indexOf('data-user-id="evil"'));
    expect(ada).toContain('title="Microphone on"');
    expect(ada).toContain('title="Camera on"');
  });

  it('shows raised hands with their place, who presents, who leads and where each person is', () => {
    const rows = [
      peer(1, 'me', 'Me', 'student', { view: 'board', file: 'f1' }),
      peer(2, 'bea', 'Bea', 'student', { file: 'f1', media: { screen: true } }),
      peer(3, 'ada', 'Ada', 'instructor', { view: 'video' }),
    ];
    const files = [{ id: 'f1', name: '<b>loop</b>.py' }] as unknown as Parameters<
      typeof PeoplePanel
    >[0]['files'];
    const out = renderToStaticMarkup(
      createElement(PeoplePanel, {
        peers: rows,
        files,
        following: null,
        hands: { ids: ['bea', 'me'], ordered: true },
        leaderId: 'ada',
      }),
    );
    const row = (id: string) => {
      const start = out.indexOf(`data-user-id="${id}"`);
      const end = out.indexOf('</li>', start);
      return out.slice(start, end);
    };
    expect(row('bea')).toContain('Hand raised (1st in the queue)');
    expect(row('me')).toContain('Hand raised (2nd in the queue)');
    expect(row('ada')).not.toContain('Hand raised');
    expect(row('bea')).toContain('data-testid="person-presenting"');
    expect(row('me')).not.toContain('person-presenting');
    expect(row('bea')).toContain('&lt;b&gt;loop&lt;/b&gt;.py');
    expect(row('me')).toContain('>Whiteboard<');
    expect(row('ada')).toContain('>Stage<');
    expect(row('ada')).toContain('leading');
    // A student sees only their own hand: no queue place to speak of.
    const own = renderToStaticMarkup(
      createElement(PeoplePanel, {
        peers: rows,
        files,
        following: null,
        hands: { ids: ['me'], ordered: false },
      }),
    );
    expect(own).toContain('title="Hand raised"');
    expect(own).not.toContain('in the queue');
  });
});

describe('BoardToolbar', () => {
  const props: BoardToolbarProps = {
    tools: TOOLS,
    tool: 'pen',
    style: { color: '#1f2937', width: 4 },
    zoom: 1.5,
    canUndo: false,
    canRedo: true,
    hasSelection: false,
    onTool: () => undefined,
    onStyle: () => undefined,
    onUndo: () => undefined,
    onRedo: () => undefined,
    onDelete: () => undefined,
    onZoom: () => undefined,
    onExport: () => undefined,
  };

  it('offers every tool, colours and widths to writers, with undo state and zoom', () => {
    const html = renderToStaticMarkup(createElement(BoardToolbar, props));
    for (const tool of TOOLS) expect(html).toContain(`data-tool="${tool}"`);
    expect(html).toContain('aria-pressed="true" title="Pen (P)"');
    expect(html).toMatch(/disabled=""[^>]*title="Undo/);
    expect(html).toContain('150%');
  });

  it('offers only panning, zoom and export when read-only', () => {
    const html = renderToStaticMarkup(
      createElement(BoardToolbar, { ...props, tools: ['hand'], tool: 'hand' }),
    );
    expect(html).toContain('data-tool="hand"');
    expect(html).not.toContain('data-tool="pen"');
    expect(html).not.toContain('Colour');
    expect(html).not.toContain('Undo');
    expect(html).toContain('Download as SVG');
  });
});

describe('CallControls', () => {
  const noop = () => undefined;
  it('shows mute state and only the buttons the role may use', () => {
    const muted = S.withLocal(S.INITIAL_MEDIA_STATE, 'mic', { producerId: 'p1', paused: true });
    const html = renderToStaticMarkup(
      createElement(CallControls, {
        state: muted,
        can: { mic: true, cam: false, screen: false },
        onMic: noop,
        onCam: noop,
        onScreen: noop,
        onLeave: noop,
      }),
    );
    expect(html).toContain('Unmute');
    expect(html).not.toContain('Start video');
    expect(html).not.toContain('Share screen');
    expect(html).toContain('Leave');
  });
});

describe('FollowBar', () => {
  const controls = (target: FollowControls['target']): FollowControls => ({
    target,
    follow: () => undefined,
    stop: () => undefined,
  });
  const lead = (leader: { id: string; name: string } | null) => ({
    leader,
    selfId: 'me',
    onLead: () => Promise.resolve(),
  });

  it('says whom you follow and why, with a way out', () => {
    const ada = peer(2, 'ada', 'Ada', 'instructor');
    const html = renderToStaticMarkup(
      createElement(FollowBar, {
        follow: controls({ peer: ada, reason: 'followMe' }),
        peers: [ada],
        lead: null,
      }),
    );
    expect(html).toContain('Following Ada');
    expect(html).toContain('asked everyone to follow');
    expect(html).toContain('Stop following');
    expect(html).not.toContain('Everyone follows me');
  });

  it('gives staff the one "follow me" switch, on when the class state says they lead', () => {
    const off = renderToStaticMarkup(
      createElement(FollowBar, { follow: controls(null), peers: [], lead: lead(null) }),
    );
    expect(off).toContain('Everyone follows me');
    expect(off).toContain('role="switch"');
    expect(off).not.toContain(' checked=""');
    const on = renderToStaticMarkup(
      createElement(FollowBar, { follow: controls(null), peers: [], lead: lead({ id: 'me', name: 'Me' }) }),
    );
    expect(on).toContain(' checked=""');
    const other = renderToStaticMarkup(
      createElement(FollowBar, { follow: controls(null), peers: [], lead: lead({ id: 'x', name: 'Xu' }) }),
    );
    expect(other).toContain('Xu leads');
    expect(other).not.toContain(' checked=""');
  });

  it('renders nothing for a student who follows nobody', () => {
    expect(
      renderToStaticMarkup(createElement(FollowBar, { follow: controls(null), peers: [], lead: null })),
    ).toBe('');
  });
});
