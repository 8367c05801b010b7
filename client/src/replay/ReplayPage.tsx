// `/replay/<sessionId>` (and the embed's `view=replay`): a past session on one clock. The recording large when
// there is a video of it, the documents as they were (a picker of the session's documents; code read-only in
// Monaco, the board drawn), the chat up to the moment, and the scrubber with markers and the activity strip.
// Refusals and failures are message pages, never a blank page.
import {
  ownValue,
  type ReplayDocument,
  type ReplayInfo,
  type ReplayRecording,
  type Theme,
} from '@tandem/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTheme } from '../app/theme.ts';
import { MessagePage } from '../pages/MessagePage.tsx';
import { useEscape } from '../ui/useEscape.ts';
import { ExportOffer } from './ExportOffer.tsx';
import { ReplayBoard } from './ReplayBoard.tsx';
import { ReplayChat } from './ReplayChat.tsx';
import { ReplayControls } from './ReplayControls.tsx';
import { ReplayEditor } from './ReplayEditor.tsx';
import { ReplayScrubber } from './ReplayScrubber.tsx';
import { ReplayVideo } from './ReplayVideo.tsx';
import { ReplayApi } from './replayApi.ts';
import { actionForKey, isTypingTarget } from './shortcuts.ts';
import { chatAt, markersOf, momentLink, openedFileAt, postedAt, recordingAt } from './timelineView.ts';
import { useDocPlayer, useReplayClock } from './useReplayClock.ts';
import { failureMessage, type ReplayData, useReplayData } from './useReplayData.ts';
import './replay.css';

export function ReplayPage({
  token,
  sessionId,
  initialT,
}: {
  token: string;
  sessionId: string;
  initialT: number | null;
}) {
  const api = useMemo(() => new ReplayApi(() => token), [token]);
  const [data, retry] = useReplayData(api, sessionId);
  const [theme] = useTheme();
  if (data.status === 'loading')
    return (
      <MessagePage title="Opening the replay…">
        <p className="muted">Loading the session's timeline.</p>
      </MessagePage>
    );
  if (data.status === 'failed') {
    const { title, text, retry: canRetry } = failureMessage(data.error);
    return (
      <MessagePage title={title}>
        <p data-testid="replay-refused">{text}</p>
        {canRetry && (
          <button type="button" className="button" onClick={retry}>
            Try again
          </button>
        )}
      </MessagePage>
    );
  }
  return <Replay api={api} data={data} initialT={initialT} theme={theme} />;
}

function Replay({
  api,
  data,
  initialT,
  theme,
}: {
  api: ReplayApi;
  data: Extract<ReplayData, { status: 'ready' }>;
  initialT: number | null;
  theme: Theme;
}) {
  const { info, events, activity } = data;
  const range = useMemo(() => sessionRange(info), [info]);
  const start = initialT ?? range.from;
  const { clock, view } = useReplayClock(range, start);
  const documents = useMemo(() => info.documents.filter((d) => d.kind !== 'chat'), [info]);
  const [docName, setDocName] = useState<string | null>(() => defaultDocument(info, documents));
  const player = useDocPlayer(api, clock, docName);
  const rootRef = useRef<HTMLDivElement>(null);
  // The open document's logical time and seq, for tests and diagnostics: written straight onto the root (the
  // player changes every frame while playing; the page need not render that often).
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const show = () => {
      const state = player?.state;
      root.dataset.replayTime = state && Number.isFinite(state.time) ? String(state.time) : '';
      root.dataset.docSeq = state ? String(state.seq) : '';
      root.dataset.loading = String(state?.loading ?? false);
    };
    show();
    return player?.subscribe(show);
  }, [player]);
  const shown = documents.find((d) => d.name === docName) ?? null;
  const [helpOpen, setHelpOpen] = useState(false);
  useEscape(helpOpen, () => setHelpOpen(false));
  const names = info.names;
  const nameOf = useCallback((id: string) => ownValue(names, id) ?? id, [names]);
  const markers = useMemo(() => markersOf(events, names), [events, names]);
  const posted = useMemo(() => postedAt(events), [events]);
  const messages = useMemo(() => chatAt(events, view.time, info.session.classId), [events, view.time, info]);
  const opened = openedFileAt(events, docName, view.time);
  const video = recordingAt(info.recordings, view.time);

  const stepEdit = useStepEdit(api, player, clock);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // In the read-only editor the arrows move its cursor (to pick a line); Space still plays and pauses.
      const inEditor =
        e.target instanceof Element && e.target.closest('.replay-editor .monaco-editor') !== null;
      if (isTypingTarget(e.target) && !inEditor) return;
      const action = actionForKey(e);
      if (!action || (inEditor && action.type !== 'toggle')) return;
      // Handled here only: Space on a focused button plays or pauses and does not also press the button.
      e.preventDefault();
      switch (action.type) {
        case 'toggle':
          return clock.toggle();
        case 'skip':
          return clock.skip(action.ms);
        case 'stepEdit':
          return void stepEdit(action.direction);
        case 'help':
          return setHelpOpen((open) => !open);
        default: {
          const unreachable: never = action;
          return unreachable;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [clock, stepEdit]);

  const jump = useCallback((t: number) => clock.seek(t), [clock]);
  return (
    <div
      className="replay-page"
      data-testid="replay"
      ref={rootRef}
      data-clock-time={Math.round(view.time)}
      data-playing={view.playing}
    >
      <header className="replay-header">
        <h1>
          Replay: <span data-testid="replay-title">{info.session.title}</span>
        </h1>
        <span className="muted">
          {new Date(range.from).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}
        </span>
        <label className="replay-doc-picker">
          Document{' '}
          <select
            value={docName ?? ''}
            onChange={(e) => setDocName(e.target.value || null)}
            data-testid="replay-document"
          >
            {documents.length === 0 && <option value="">No documents</option>}
            {documents.map((d) => (
              <option key={d.name} value={d.name}>
                {d.title}
                {d.kind === 'board' && !/board/i.test(d.title) ? ' (board)' : ''}
              </option>
            ))}
          </select>
        </label>
        <ExportOffer api={api} info={info} />
      </header>
      <div className={video ? 'replay-main with-video' : 'replay-main'}>
        {video?.video && (
          <ReplayVideo
            key={video.id}
            clock={clock}
            link={video.video}
            fetchLink={() => api.info(info.session.id).then((fresh) => videoOf(fresh, video.id))}
            startedAt={video.startedAt}
          />
        )}
        <section className="replay-doc" aria-label={shown?.title ?? 'Document'}>
          {player && shown?.kind === 'board' && <BoardOf player={player} />}
          {player && shown && shown.kind !== 'board' && (
            <ReplayEditor
              player={player}
              api={api}
              theme={theme}
              playing={view.playing}
              nameOf={nameOf}
              names={names}
              from={range.from}
              onJump={jump}
              openedEvent={opened?.eventId ?? null}
              openedFile={opened?.fileId ?? null}
            />
          )}
          {!shown && <p className="muted">Nothing was written in this session.</p>}
        </section>
        <ReplayChat
          messages={messages}
          postedAt={posted}
          nameOf={(id) => ownValue(names, id) ?? null}
          onJump={jump}
        />
      </div>
      <footer className="replay-footer">
        <ReplayScrubber
          from={range.from}
          to={range.to}
          time={view.time}
          markers={markers}
          activity={activity}
          onSeek={jump}
        />
        <ReplayControls
          playing={view.playing}
          rate={view.rate}
          time={view.time}
          from={range.from}
          to={range.to}
          helpOpen={helpOpen}
          onToggle={() => clock.toggle()}
          onSkip={(ms) => clock.skip(ms)}
          onRate={(rate) => clock.setRate(rate)}
          onHelp={setHelpOpen}
          link={() => momentLink(window.location.href, clock.time)}
        />
      </footer>
    </div>
  );
}

function BoardOf({ player }: { player: NonNullable<ReturnType<typeof useDocPlayer>> }) {
  const [doc, setDoc] = useState(player.doc);
  useEffect(() => player.subscribe(() => setDoc(player.doc)), [player]);
  return <ReplayBoard doc={doc} />;
}

/** The session's span: from its start to its end (or now, while it is live). */
export function sessionRange(info: ReplayInfo): { from: number; to: number } {
  const from = info.session.startedAt;
  return { from, to: Math.max(from + 1000, info.session.endedAt ?? Date.now()) };
}

/** A recording's video link in (freshly fetched) replay info. */
function videoOf(info: ReplayInfo, recordingId: string): ReplayRecording['video'] {
  return info.recordings.find((r) => r.id === recordingId)?.video ?? null;
}

/** The class's main code, else its first code document, else whatever changed. */
function defaultDocument(info: ReplayInfo, documents: readonly ReplayDocument[]): string | null {
  const main = `${info.session.classId}/code/main`;
  return (
    documents.find((d) => d.name === main)?.name ??
    documents.find((d) => d.kind === 'code')?.name ??
    documents[0]?.name ??
    null
  );
}

/** `,` and `.`: to the previous or next logged edit of the open document. */
function useStepEdit(
  api: ReplayApi,
  player: ReturnType<typeof useDocPlayer>,
  clock: ReturnType<typeof useReplayClock>['clock'],
) {
  return useCallback(
    async (direction: 1 | -1) => {
      if (!player) return;
      const { seq } = player.state;
      if (direction === 1) {
        const next = await api.updates(player.name, seq, clock.to).catch(() => null);
        const first = next?.updates[0];
        if (first) clock.seek(first.ts);
        return;
      }
      if (seq <= 0) return;
      // The edit shown last: go to just before it.
      const current = await api.updates(player.name, seq - 1, clock.to).catch(() => null);
      const ts = current?.updates[0]?.ts;
      if (ts !== undefined) clock.seek(Math.max(clock.from, ts - 1));
    },
    [api, player, clock],
  );
}
