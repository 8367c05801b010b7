// Which class notices deserve a notification, and their wording. Pure, so it is tested without a DOM.
import type { ClassNotice } from '@tandem/shared';
import type { Toast } from './Toasts.tsx';

/** `self`: the person on this page; nobody gets a notification about their own action. */
export function toastFor(notice: ClassNotice, self: { id: string; name: string }): Toast | null {
  const base = { id: notice.id };
  switch (notice.type) {
    case 'announcement':
      return {
        ...base,
        kind: 'announcement',
        title: `Announcement from ${notice.byName}`,
        text: notice.text,
      };
    case 'session':
      if (notice.state === 'live')
        return { ...base, kind: 'info', title: 'Class started', text: 'The session is live.' };
      if (notice.state === 'ended')
        return { ...base, kind: 'info', title: 'Class ended', text: 'The instructor ended the session.' };
      return null;
    case 'hand':
      return !notice.raised && notice.byName && notice.byName !== self.name
        ? { ...base, kind: 'info', title: 'Hand lowered', text: `${notice.byName} lowered your hand.` }
        : null;
    case 'mutedAll':
      return notice.byId === self.id
        ? null
        : { ...base, kind: 'info', title: 'Microphones muted', text: `${notice.byName} muted everyone.` };
    case 'chatMuted':
      return {
        ...base,
        kind: 'info',
        title: notice.muted ? 'Muted in chat' : 'Chat unmuted',
        text: notice.muted ? 'A moderator muted you in the chat.' : 'You can write in the chat again.',
      };
    case 'followMe':
      return notice.leader
        ? {
            ...base,
            kind: 'info',
            title: 'Follow me',
            text: `${notice.leader.name} asked everyone to follow them.`,
          }
        : null;
    case 'spotlight':
      return notice.user
        ? {
            ...base,
            kind: 'info',
            title: 'Spotlight',
            text: `Everyone is looking at ${notice.user.name}'s workspace.`,
          }
        : null;
    case 'locks':
    case 'hands':
    case 'chatSettings':
    case 'breakouts':
    case 'removals':
      return null;
    default: {
      const unreachable: never = notice;
      return unreachable;
    }
  }
}
