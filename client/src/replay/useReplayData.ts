// Loads what the replay page opens with: the session's replay info, its timeline (all but edits) and the
// activity strip. A refusal or a failure is kept as such, for the page to explain.
import type { ActivityStripReply, ReplayInfo, TimelineEvent } from '@tandem/shared';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../classroom/api.ts';
import type { ReplayApi } from './replayApi.ts';
import { PAGE_KINDS } from './timelineView.ts';

export const ACTIVITY_BUCKETS = 200;

export type ReplayData =
  | { status: 'loading' }
  | { status: 'failed'; error: ApiError | Error }
  | {
      status: 'ready';
      info: ReplayInfo;
      events: TimelineEvent[];
      /** null when the strip could not be loaded (the page works without it). */
      activity: ActivityStripReply | null;
    };

export function useReplayData(api: ReplayApi, sessionId: string): [ReplayData, () => void] {
  const [data, setData] = useState<ReplayData>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  useEffect(() => {
    void attempt;
    let cancelled = false;
    setData({ status: 'loading' });
    (async () => {
      const info = await api.info(sessionId);
      const [events, activity] = await Promise.all([
        api.timeline(sessionId, PAGE_KINDS),
        api.activity(sessionId, ACTIVITY_BUCKETS).catch(() => null),
      ]);
      if (!cancelled) setData({ status: 'ready', info, events, activity });
    })().catch((error: unknown) => {
      if (cancelled) return;
      setData({ status: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
    });
    return () => {
      cancelled = true;
    };
  }, [api, sessionId, attempt]);
  return [data, retry];
}

/** What the page says when it cannot open the replay, and whether trying again may help. */
export function failureMessage(error: ApiError | Error): { title: string; text: string; retry: boolean } {
  if (!(error instanceof ApiError)) {
    return {
      title: 'Could not reach Tandem',
      text: `The replay could not be loaded (${error.message}). Check your connection and try again.`,
      retry: true,
    };
  }
  if (error.status === 401)
    return {
      title: 'Your sign-in is not valid',
      text: 'Open the replay again from your course page or the class page: its link signs you in afresh.',
      retry: false,
    };
  if (error.status === 403)
    return {
      title: 'You may not replay this session',
      text: `${sentence(error.message)} Your instructor can let students replay the class's sessions.`,
      retry: false,
    };
  if (error.status === 404)
    return {
      title: 'No such session',
      text: 'This replay link names a session that does not exist (any more).',
      retry: false,
    };
  return {
    title: 'The replay could not be loaded',
    text: sentence(error.message),
    retry: error.status >= 500 || error.status === 429,
  };
}

/** The server's message as a sentence: capitalised, ending in a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
