// Pure views of a session's timeline for the replay page: the chat as it stood at a time, the scrubber's
// markers, the recording to show, and the link to a moment.
import {
  type ChatMessage,
  MAIN_CHAT_ROOM,
  ownValue,
  type ReplayRecording,
  type TimelineData,
  type TimelineEvent,
  type TimelineKind,
} from '@tandem/shared';

/** The kinds the page fetches: everything but edits (documents are played from their own log). */
export const PAGE_KINDS: readonly TimelineKind[] = [
  'session',
  'presence',
  'chat',
  'hand',
  'announcement',
  'lock',
  'follow',
  'file',
  'breakout',
  'poll',
  'recording',
];

/**
 * The class's main chat room's messages posted up to `t`, each as it stood then (its last event up to `t`), in
 * order. Breakout groups' rooms (other chat documents) are left out.
 */
export function chatAt(events: readonly TimelineEvent[], t: number, classId: string): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  const mainDocument = `${classId}/chat/${MAIN_CHAT_ROOM}`;
  for (const event of events) {
    if (event.at > t) break;
    if (event.kind !== 'chat' || event.data.room !== MAIN_CHAT_ROOM) continue;
    if (event.data.document !== undefined && event.data.document !== mainDocument) continue;
    if (event.data.action !== 'posted' && !byId.has(event.data.message.id)) continue;
    byId.set(event.data.message.id, event.data.message);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** When each chat message was posted (for "jump to this message"). */
export function postedAt(events: readonly TimelineEvent[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const event of events) {
    if (event.kind === 'chat' && event.data.action === 'posted') at.set(event.data.message.id, event.at);
  }
  return at;
}

export type MarkerKind = 'chat' | 'hand' | 'follow' | 'file' | 'announcement' | 'poll' | 'breakout';

export interface Marker {
  id: string;
  at: number;
  kind: MarkerKind;
  /** What a tooltip says (plain text). */
  label: string;
}

/**
 * The scrubber's markers: messages posted, hands raised, follow-me and spotlight changes, files staff opened,
 * announcements, polls, breakouts.
 */
export function markersOf(events: readonly TimelineEvent[], names: Record<string, string> = {}): Marker[] {
  const markers: Marker[] = [];
  for (const event of events) {
    const who = event.actor?.name ?? 'someone';
    const label = markerLabel(event, who, names);
    if (label) markers.push({ id: event.id, at: event.at, kind: event.kind as MarkerKind, label });
  }
  return markers;
}

function markerLabel(event: TimelineEvent, who: string, names: Record<string, string>): string | null {
  switch (event.kind) {
    case 'chat':
      if (event.data.action !== 'posted') return null;
      return event.data.message.deleted
        ? `Message from ${event.data.message.authorName} (deleted)`
        : `${event.data.message.authorName}: ${event.data.message.text.slice(0, 80)}`;
    case 'hand':
      return event.data.action === 'raised' ? `${event.data.name} raised a hand` : null;
    case 'follow':
      return followLabel(event.data, who, names);
    case 'file':
      return `${who} opened ${event.data.name || event.data.fileId}`;
    case 'announcement':
      return `Announcement: ${event.data.text.slice(0, 80)}`;
    case 'poll':
      return `Poll ${event.data.action}: ${event.data.title.slice(0, 80)}`;
    case 'breakout':
      return `Breakout rooms ${event.data.action}`;
    case 'session':
    case 'presence':
    case 'edit':
    case 'lock':
    case 'recording':
      return null;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/**
 * Follow-me: started, or another staff member took over as leader; spotlight: on a person's workspace, or moved
 * to another person's. Endings are not markers.
 */
function followLabel(
  data: TimelineData['follow'],
  who: string,
  names: Record<string, string>,
): string | null {
  if (data.action === 'ended') return null;
  if (data.mode === 'follow')
    return data.action === 'moved' ? `${who} took over follow me` : `${who} started follow me`;
  // A spotlit workspace is `<classId>/ws/<userId>`.
  const owner = data.document?.split('/')[2] ?? '';
  const whose = owner ? `${ownValue(names, owner) ?? owner}'s workspace` : 'a workspace';
  return data.action === 'moved' ? `Spotlight moved to ${whose}` : `Spotlight on ${whose}`;
}

/**
 * The file staff opened last in `document` at or before `t` (its `file` event's id and the file's id), for the
 * editor to follow while playing; null when none was opened by then.
 */
export function openedFileAt(
  events: readonly TimelineEvent[],
  document: string | null,
  t: number,
): { eventId: string; fileId: string } | null {
  let last: { eventId: string; fileId: string } | null = null;
  for (const event of events) {
    if (event.at > t) break;
    if (event.kind === 'file' && event.data.document === document)
      last = { eventId: event.id, fileId: event.data.fileId };
  }
  return last;
}

/**
 * The recording (with a video) to show at `t`: the one playing then, else the next to start (so the clock can
 * hand over to it when it is reached), else the last one.
 */
export function recordingAt(recordings: readonly ReplayRecording[], t: number): ReplayRecording | null {
  const playable = recordings.filter((r) => r.video);
  return (
    playable.find((r) => r.startedAt <= t && (r.stoppedAt === null || t < r.stoppedAt)) ??
    playable.find((r) => r.startedAt > t) ??
    playable.at(-1) ??
    null
  );
}

/** A link to this page at moment `t` (`t=` in the query; the token never goes into a link). */
export function momentLink(href: string, t: number): string {
  const url = new URL(href);
  url.hash = '';
  url.searchParams.set('t', String(Math.round(t)));
  return url.href;
}

/** `mm:ss` (or `h:mm:ss`) from the start of the session. */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
