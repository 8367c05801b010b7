// Which class notices deserve a notification, and their wording. A notice about this person's own action
// (their announcement, their "follow me", the class they started) gets none: they know, they did it. Pure,
// so it is tested without a DOM.
import type { ClassNotice } from '@tandem/shared';
import type { Toast } from './Toasts.tsx';

export interface Self {
  id: string;
  name: string;
}

/** Who caused the notice, when the server says so. */
function actorOf(notice: ClassNotice): string | null {
  switch (notice.type) {
    case 'followMe':
      return notice.leader?.id ?? null;
    case 'stage':
      return notice.by?.id ?? null;
    case 'session':
    case 'announcement':
    case 'spotlight':
    case 'mutedAll':
    case 'poll':
      return notice.byId ?? null;
    default:
      return null;
  }
}

export function toastFor(notice: ClassNotice, self: Self): Toast | null {
  if (actorOf(notice) === self.id) return null;
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
      return { ...base, kind: 'info', title: 'Microphones muted', text: `${notice.byName} muted everyone.` };
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
    case 'stage':
      return notice.by
        ? {
            ...base,
            kind: 'info',
            title: 'On stage',
            text: `${notice.by.name} brought everyone to the stage.`,
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
    case 'poll':
      if (notice.change === 'opened')
        return { ...base, kind: 'info', title: 'Poll started', text: notice.title };
      if (notice.change === 'shown')
        return { ...base, kind: 'info', title: 'Poll results', text: notice.title };
      return null;
    case 'recording':
      if (notice.recording)
        return { ...base, kind: 'info', title: 'Recording', text: 'This class is being recorded.' };
      return {
        ...base,
        kind: 'info',
        title: 'Recording stopped',
        text: notice.problem ?? 'This class is no longer being recorded.',
      };
    case 'locks':
    case 'hands':
    case 'chatSettings':
    case 'breakouts':
    case 'removals':
    // The inbox shows notifications (its own toast in an embed, a browser notification in the background).
    case 'notification':
      return null;
    default: {
      const unreachable: never = notice;
      return unreachable;
    }
  }
}
