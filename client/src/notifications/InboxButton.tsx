// The bell with the unread count, and the inbox it opens: each notification with its kind, text, time and an
// unread dot; a click marks it read and opens what it is about; "Mark all read"; and, outside embeds, the one
// button that asks for browser notifications. Texts are React text, never markup.
import type { NotificationKind, UserNotification } from '@tandem/shared';
import { useEffect, useRef, useState } from 'react';
import { Icon, type IconName } from '../ui/icons.tsx';
import { useEscape } from '../ui/useEscape.ts';
import { askOnce, type DesktopPermission, desktopPermission, mayOffer } from './desktopNotifications.ts';
import type { Inbox } from './useInbox.ts';
import './inbox.css';

const KIND_ICONS: Record<NotificationKind, IconName> = {
  announcement: 'megaphone',
  mention: 'at',
  reply: 'reply',
  classStarted: 'play',
  pollStarted: 'poll',
};

export function InboxButton({
  inbox,
  framed,
  onOpen,
}: {
  inbox: Inbox;
  /** In an iframe: no browser notifications to offer. */
  framed: boolean;
  onOpen(n: UserNotification): void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const { unreadCount: unread } = inbox;

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);
  useEscape(open, () => setOpen(false));

  return (
    <div className="inbox" ref={root}>
      <button
        type="button"
        className="icon-button inbox-bell"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
        aria-expanded={open}
        title="Notifications"
        data-testid="inbox-bell"
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="bell" />
        {unread > 0 && (
          <span className="inbox-count" data-testid="inbox-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="inbox-panel" role="dialog" aria-label="Notifications" data-testid="inbox-panel">
          <div className="inbox-head">
            <h2>Notifications</h2>
            <button
              type="button"
              className="link-button"
              disabled={unread === 0}
              onClick={inbox.markAllRead}
              data-testid="inbox-mark-all"
            >
              Mark all read
            </button>
          </div>
          {!framed && <DesktopOffer />}
          {inbox.items.length === 0 ? (
            <p className="inbox-empty">Nothing yet.</p>
          ) : (
            <ol className="inbox-list">
              {inbox.items.map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    className={`inbox-item${n.readAt === null ? ' unread' : ''}`}
                    data-testid="inbox-item"
                    data-kind={n.kind}
                    data-unread={n.readAt === null}
                    onClick={() => {
                      inbox.markRead(n.id);
                      setOpen(false);
                      onOpen(n);
                    }}
                  >
                    <span className={`inbox-kind inbox-kind-${n.kind}`}>
                      <Icon name={KIND_ICONS[n.kind]} />
                    </span>
                    <span className="inbox-body">
                      <strong>{n.title}</strong>
                      <span className="inbox-text">{n.text}</span>
                      <time dateTime={new Date(n.createdAt).toISOString()}>{timeAgo(n.createdAt)}</time>
                    </span>
                    {n.readAt === null && (
                      <span className="inbox-dot">
                        <span className="sr-only">unread</span>
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}

/** "Enable desktop notifications", shown until asked once; the browser's answer is what counts after. */
function DesktopOffer() {
  const [permission, setPermission] = useState<DesktopPermission>(desktopPermission);
  const [offered, setOffered] = useState(() => mayOffer(permission, localStorage, false));
  if (!offered) return null;
  return (
    <p className="inbox-desktop">
      <button
        type="button"
        className="link-button"
        data-testid="inbox-enable-desktop"
        onClick={() => {
          setOffered(false);
          askOnce(localStorage).then(setPermission, () => setPermission(desktopPermission()));
        }}
      >
        Enable desktop notifications
      </button>
      <span className="muted">
        {' '}
        while this tab is in the background{permission === 'denied' ? ' (blocked)' : ''}
      </span>
    </p>
  );
}

function timeAgo(at: number, now = Date.now()): string {
  const minutes = Math.round((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(at).toLocaleDateString();
}
