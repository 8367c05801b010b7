// The live class as this person sees it: loaded from GET /state once the document carrying the notices has
// synced (so the server has accepted the token: an expired one is said once, by the connection, not by a
// failing request too), reloaded when a class notice says something changed or after a reconnect, with the
// notices themselves passed on (announcements and other events worth a toast).
import { type ClassNotice, type ClassState, isClassNotice } from '@tandem/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocHandle } from '../collab/DocHandle.ts';
import type { ClassroomApi } from './api.ts';
import { RecentIds } from './recentIds.ts';

export interface ClassStateView {
  state: ClassState | null;
  error: string | null;
  reload(): void;
}

const RELOAD_DEBOUNCE_MS = 80;
const GROUP_RECHECK_MS = 4000;
const SEEN_NOTICES = 256;
/**
 * Notices already passed on, for the page's life and whichever view of the class receives them: the same
 * notice may come again on another connection when the document carrying them changes (the code document
 * opened after the board, a reopened one), and a view remounted in between (the page switching to the stage)
 * must not pass it on a second time.
 */
const seenNotices = new RecentIds(SEEN_NOTICES);

export function useClassState(
  api: ClassroomApi,
  handle: DocHandle | null,
  onNotice: (notice: ClassNotice) => void,
): ClassStateView {
  const [state, setState] = useState<ClassState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const noticeRef = useRef(onNotice);
  noticeRef.current = onNotice;

  // Responses can arrive out of order; only the newest request may set the state.
  const latestRequest = useRef(0);

  const reload = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const request = ++latestRequest.current;
      api.state().then(
        (next) => {
          if (request !== latestRequest.current) return;
          setState(next);
          setError(null);
        },
        (e: unknown) => {
          if (request === latestRequest.current) setError(e instanceof Error ? e.message : String(e));
        },
      );
    }, RELOAD_DEBOUNCE_MS);
  }, [api]);

  const syncedNow = handle?.status.synced ?? true;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the first sync of a handle counts here
  useEffect(() => {
    if (syncedNow) reload();
    return () => clearTimeout(timer.current);
  }, [reload, handle]);

  useEffect(() => {
    if (!handle) return;
    // Reconnecting may have missed notices: catch up.
    let wasSynced = handle.status.synced;
    const offStatus = handle.subscribe((status) => {
      if (status.synced && !wasSynced) reload();
      wasSynced = status.synced;
    });
    const offNotice = handle.onNotice((notice) => {
      if (!isClassNotice(notice) || !seenNotices.add(notice.id)) return;
      noticeRef.current(notice);
      if (changesState(notice)) reload();
    });
    return () => {
      offStatus();
      offNotice();
    };
  }, [handle, reload]);

  // Inside an open breakout group, the group closing is what sends people back: re-check now and then in
  // case that notice was missed, so nobody is left behind in a closed group.
  const inOpenGroup = !!state?.breakoutOf && !state.breakoutOf.closed;
  useEffect(() => {
    if (!inOpenGroup) return;
    const timer = setInterval(reload, GROUP_RECHECK_MS);
    return () => clearInterval(timer);
  }, [inOpenGroup, reload]);

  return { state, error, reload };
}

function changesState(notice: ClassNotice): boolean {
  switch (notice.type) {
    case 'announcement':
    case 'chatSettings':
    case 'notification':
      return false;
    case 'session':
    case 'hands':
    case 'hand':
    case 'locks':
    case 'followMe':
    case 'stage':
    case 'spotlight':
    case 'mutedAll':
    case 'chatMuted':
    case 'breakouts':
    case 'removals':
    case 'recording':
      return true;
    // New answers and drafts concern staff's own list (the Polls tab reloads it), not the class state.
    case 'poll':
      return notice.change !== 'answered' && notice.change !== 'updated';
    default: {
      const unreachable: never = notice;
      return unreachable;
    }
  }
}
