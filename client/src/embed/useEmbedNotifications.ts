// Notifications in an embed: a cross-origin iframe cannot ask for browser notifications, so each new one is
// posted to the host page (a `notification` embed event, for the course platform to show) and shown in the
// page as a toast. Announcements and class starts already get the classroom panel's toast when it is shown.
// The unread count goes to the host as an `unread` event on the first load and on every change (arrivals and
// reads in the embed), so the course platform's badge agrees with the embed's bell.
import type { EmbedView, UserNotification } from '@tandem/shared';
import { useCallback, useEffect, useState } from 'react';
import type { Toast } from '../classroom/Toasts.tsx';
import type { Inbox } from '../notifications/useInbox.ts';
import type { EmbedBridge } from './EmbedBridge.ts';

/** Whether the view's own classroom panel toasts this kind already (from the class notice). */
export function panelToasts(view: EmbedView, kind: UserNotification['kind']): boolean {
  return view === 'all' && (kind === 'announcement' || kind === 'classStarted');
}

export function useEmbedNotifications(bridge: EmbedBridge, inbox: Inbox, view: EmbedView) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: string) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const { onArrive, loaded, unreadCount } = inbox;
  useEffect(() => {
    if (loaded) bridge.send({ type: 'unread', unreadCount });
  }, [loaded, unreadCount, bridge]);
  useEffect(
    () =>
      onArrive((n, unreadCount) => {
        bridge.send({
          type: 'notification',
          notification: { id: n.id, kind: n.kind, title: n.title, text: n.text, createdAt: n.createdAt },
          unreadCount,
        });
        if (panelToasts(view, n.kind)) return;
        const toast: Toast = {
          id: `notification-${n.id}`,
          kind: n.kind === 'announcement' ? 'announcement' : 'info',
          title: n.title,
          text: n.text,
        };
        setToasts((all) => [...all.slice(-4), toast]);
      }),
    [onArrive, bridge, view],
  );
  return { toasts, dismiss };
}
