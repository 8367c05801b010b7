// This person's inbox on a class page: loaded once the page's document has synced and again after every
// reconnect (what arrived while the page was away shows then), notifications pushed live added as they come,
// read marks sent to the server. `onArrive` tells the page about each new one after the first load (for a
// browser notification, or the host page of an embed).
import { isClassNotice, type UserNotification } from '@tandem/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { ClassroomApi } from '../classroom/api.ts';
import {
  EMPTY_INBOX,
  INBOX_PAGE_SIZE,
  type InboxState,
  withArrived,
  withLoaded,
  withRead,
} from './inboxState.ts';

export type ArriveListener = (n: UserNotification, unreadCount: number) => void;

export interface Inbox {
  items: readonly UserNotification[];
  unreadCount: number;
  /** False until the first load answered: `unreadCount` is not the server's yet. */
  loaded: boolean;
  markRead(id: number): void;
  markAllRead(): void;
  /** `unreadCount`: the inbox's, with this one in it. */
  onArrive(listener: ArriveListener): () => void;
}

/** Tries of one inbox load before giving up until the next reconnect (waits 1, 2, 4, 8 s between them). */
const LOAD_ATTEMPTS = 5;

export function useInbox(room: Classroom, classId: string): Inbox {
  const { session } = room;
  const handle = room.code ?? room.board;
  const api = useMemo(() => new ClassroomApi(() => session.token(), classId), [session, classId]);
  const [state, setState] = useState<InboxState>(EMPTY_INBOX);
  const stateRef = useRef(state);
  const listeners = useRef(new Set<ArriveListener>());

  const apply = useCallback((next: InboxState, arrived: readonly UserNotification[]) => {
    stateRef.current = next;
    setState(next);
    for (const n of arrived) for (const listener of listeners.current) listener(n, next.unreadCount);
  }, []);

  // Responses can arrive out of order; only the newest request counts.
  const latest = useRef(0);
  // A failed load (the network just came back, the server is busy) is tried again with a growing delay, so
  // what arrived while the page was away is not left out until the next reconnect.
  const load = useCallback(() => {
    const request = ++latest.current;
    const attempt = (n: number) => {
      api.notifications(INBOX_PAGE_SIZE).then(
        (reply) => {
          if (request !== latest.current) return;
          const { state: next, missed } = withLoaded(stateRef.current, reply);
          apply(next, missed);
        },
        (error: unknown) => {
          if (request !== latest.current) return;
          if (n >= LOAD_ATTEMPTS) return console.warn('tandem: could not load notifications', error);
          setTimeout(() => attempt(n + 1), 500 * 2 ** n);
        },
      );
    };
    attempt(1);
  }, [api, apply]);

  useEffect(() => {
    if (!handle) return;
    let wasSynced = handle.status.synced;
    if (wasSynced) load();
    const offStatus = handle.subscribe((status) => {
      if (status.synced && !wasSynced) load();
      wasSynced = status.synced;
    });
    // Back online after the browser was offline: notifications pushed meanwhile may never have reached a
    // socket that outlived the outage, so the inbox is read again (the synced transition covers a new socket).
    window.addEventListener('online', load);
    const offNotice = handle.onNotice((notice) => {
      if (!isClassNotice(notice) || notice.type !== 'notification') return;
      const next = withArrived(stateRef.current, notice.notification);
      if (next) apply(next, stateRef.current.loaded ? [notice.notification] : []);
    });
    return () => {
      window.removeEventListener('online', load);
      offStatus();
      offNotice();
    };
  }, [handle, load, apply]);

  const markRead = useCallback(
    (id: number) => {
      const n = stateRef.current.items.find((item) => item.id === id);
      if (!n || n.readAt !== null) return;
      apply(withRead(stateRef.current, [id], Date.now()), []);
      api.markNotificationsRead({ ids: [id] }).catch(load);
    },
    [api, apply, load],
  );
  const markAllRead = useCallback(() => {
    apply(withRead(stateRef.current, 'all', Date.now()), []);
    api.markNotificationsRead({ all: true }).catch(load);
  }, [api, apply, load]);
  const onArrive = useCallback((listener: ArriveListener) => {
    listeners.current.add(listener);
    return () => listeners.current.delete(listener);
  }, []);

  return useMemo(
    () => ({
      items: state.items,
      unreadCount: state.unreadCount,
      loaded: state.loaded,
      markRead,
      markAllRead,
      onArrive,
    }),
    [state, markRead, markAllRead, onArrive],
  );
}
