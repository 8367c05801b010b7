// Browser (desktop) notifications for a page in the background: permission is asked once, only from a
// person's click, and that it was asked is remembered (localStorage), so the page never asks again by itself.
// Never in an embed: a cross-origin iframe cannot ask, the host page is told instead (embed/).
import type { UserNotification } from '@tandem/shared';
import { useEffect } from 'react';
import type { Inbox } from './useInbox.ts';

export const ASKED_KEY = 'tandem:desktop-notifications-asked';

export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Whether to offer the "enable" button: never asked here, the browser has not decided, not framed. */
export function mayOffer(permission: DesktopPermission, storage: Pick<Storage, 'getItem'>, framed: boolean) {
  return !framed && permission === 'default' && storage.getItem(ASKED_KEY) === null;
}

/** From a click only: browsers refuse (or remember as a denial) a request no person asked for. */
export async function askOnce(storage: Pick<Storage, 'setItem'>): Promise<DesktopPermission> {
  storage.setItem(ASKED_KEY, new Date().toISOString());
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/** Only while the page is hidden (a visible page shows its inbox), with permission, and not framed. */
export function shouldNotify(input: { hidden: boolean; permission: DesktopPermission; framed: boolean }) {
  return input.hidden && input.permission === 'granted' && !input.framed;
}

/** Shows each notification that arrives while the page is in the background; a click brings the page back. */
export function useDesktopNotifications(
  inbox: Inbox,
  framed: boolean,
  onOpen: (n: UserNotification) => void,
) {
  const { onArrive, markRead } = inbox;
  useEffect(
    () =>
      onArrive((n) => {
        if (!shouldNotify({ hidden: document.hidden, permission: desktopPermission(), framed })) return;
        const shown = new Notification(n.title, { body: n.text, tag: `tandem-${n.id}` });
        shown.onclick = () => {
          window.focus();
          markRead(n.id);
          onOpen(n);
          shown.close();
        };
      }),
    [onArrive, markRead, framed, onOpen],
  );
}
