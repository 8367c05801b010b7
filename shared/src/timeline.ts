// The class timeline (docs/timeline.md): what happened in a session, on the server clock (epoch ms, the clock of
// the update log, the chat and recordings), and the queries that read documents as they were at a moment.
// Shared by the server's timeline routes and the replay page.
import * as v from 'valibot';
import type { ChatMessage } from './classroom/chat.ts';
import type { DocKind } from './documentName.ts';
import type { ProducerSource } from './media/rules.ts';
import type { SegmentEndReason } from './recording.ts';
import { queryNumber } from './validation.ts';

export const TIMELINE_KINDS = [
  /** The session started or ended. */
  'session',
  /** Someone joined or left the class. */
  'presence',
  /** A document changed (an update from the log): code, a workspace, the board. */
  'edit',
  /** A chat message was posted, edited or deleted (a deleted message is shown as its tombstone). */
  'chat',
  'hand',
  'announcement',
  /** Code or board locked or unlocked. */
  'lock',
  /**
   * Follow-me started, passed to another leader (`moved`) or ended; a spotlight started, moved to another
   * person's workspace or ended. Which file someone had open is a `file` event.
   */
  'follow',
  /**
   * A staff member opened a file of a code document (the class code, a pair room, a breakout group's code), as
   * their editor's presence said; one that stayed open 2 s, so a burst of switches is its last file.
   */
  'file',
  'breakout',
  'poll',
  /** A recording started or stopped, or one of its tracks (a person's microphone, camera, screen) began or
   * ended a segment. */
  'recording',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineActor {
  id: string | null;
  name: string | null;
}

/** `data` per kind; every field is plain JSON. */
export interface TimelineData {
  session: { action: 'started' | 'ended' };
  presence: { action: 'joined' | 'left'; userId: string; name: string; role: string };
  edit: { document: string; docKind: DocKind; seq: number; bytes: number };
  /** `message` as it stands at `at` (edits applied up to then), with moderation applied as of now. */
  chat: {
    action: 'posted' | 'edited' | 'deleted';
    room: string;
    message: ChatMessage;
    /** The chat document (a breakout group's room `main` is not the class's). Added by the server. */
    document?: string;
  };
  hand: { action: 'raised' | 'lowered'; userId: string; name: string };
  announcement: { text: string };
  lock: { target: 'code' | 'board'; locked: boolean };
  follow: {
    mode: 'follow' | 'spotlight';
    action: 'started' | 'moved' | 'ended';
    document: string | null;
  };
  /** `name`: the file's name when it was opened. */
  file: { document: string; fileId: string; name: string };
  breakout: { action: 'opened' | 'closed'; setId: string; groups: { classId: string; name: string }[] };
  poll: { action: 'started' | 'closed'; pollId: string; title: string };
  recording: RecordingEventData;
}

/**
 * A whole recording started or stopped; or a track's segment (one file of a person's microphone, camera, screen
 * or screen audio, written without interruption: a pause or a recorder's restart ends one) began or ended.
 */
export type RecordingEventData =
  | { action: 'started' | 'stopped'; recordingId: string }
  | {
      action: 'trackStarted' | 'trackEnded';
      recordingId: string;
      trackId: string;
      segmentId: string;
      userId: string;
      name: string;
      source: ProducerSource;
      kind: 'audio' | 'video';
      /** Why the segment ended (`trackEnded` only): paused, closed, stopped, … */
      reason: SegmentEndReason | null;
    };

export type TimelineEvent = {
  [K in TimelineKind]: {
    /** Stable and unique within the session; events are ordered by (at, id). */
    id: string;
    at: number;
    kind: K;
    actor: TimelineActor | null;
    data: TimelineData[K];
  };
}[TimelineKind];

const kindList = v.pipe(
  v.string(),
  v.maxLength(400),
  v.transform((s) => s.split(',').filter(Boolean)),
  v.array(v.picklist(TIMELINE_KINDS)),
  v.maxLength(TIMELINE_KINDS.length),
);

/** `GET /api/sessions/<sessionId>/timeline?kinds=&from=&to=&cursor=&limit=` */
export const timelineQuerySchema = v.object({
  kinds: v.optional(kindList),
  from: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(0))),
  to: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(0))),
  /** The `next` of the previous page. */
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
  limit: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(1), v.maxValue(1000)), 500),
});
export type TimelineQuery = v.InferOutput<typeof timelineQuerySchema>;

export interface TimelineSessionInfo {
  id: string;
  classId: string;
  title: string;
  startedAt: number;
  /** null while the session is live. */
  endedAt: number | null;
}

export interface TimelineReply {
  session: TimelineSessionInfo;
  events: TimelineEvent[];
  /** Cursor of the next page, or null at the end. */
  next: string | null;
}

/** `GET /api/sessions/<sessionId>/timeline/activity?buckets=` edits and chat messages per bucket. */
export const activityStripQuerySchema = v.object({
  buckets: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(10), v.maxValue(1000)), 200),
});
export interface ActivityStripReply {
  from: number;
  to: number;
  bucketMs: number;
  edits: number[];
  chat: number[];
}

export interface ReplayDocument {
  name: string;
  kind: DocKind;
  /** e.g. the class code, "Ada's workspace", a pair room, a breakout group's code. */
  title: string;
  edits: number;
  firstEditAt: number | null;
  lastEditAt: number | null;
}

export interface ReplayRecording {
  id: string;
  startedAt: number;
  stoppedAt: number | null;
  /** A finished MP4 export to play (signed, short-lived URL), or null when there is none yet. */
  video: { url: string; expiresAt: number } | null;
}

/** `GET /api/sessions/<sessionId>/replay`: what the replay page needs to open. */
export interface ReplayInfo {
  session: TimelineSessionInfo;
  documents: ReplayDocument[];
  /** Recordings of the session, oldest first. */
  recordings: ReplayRecording[];
  /** Display names of the people in the session. */
  names: Record<string, string>;
  /** May the caller make an MP4 export (staff). */
  canExport: boolean;
}

/** `GET /api/documents/<name>/at?t=<epoch ms>` */
export const documentAtQuerySchema = v.object({
  t: v.pipe(queryNumber, v.safeInteger(), v.minValue(0)),
  /** `false`: the Yjs update only, without the JSON view (the replay page applies the update). */
  content: v.pipe(
    v.optional(v.picklist(['true', 'false']), 'true'),
    v.transform((s) => s === 'true'),
  ),
});
export interface DocumentAtReply {
  document: string;
  t: number;
  /** The last update applied (0: the document was empty then). */
  seq: number;
  /** As in the versions API: a JSON view (absent when asked with `content=false`), and the state as a base64 Yjs update. */
  content?: Record<string, unknown>;
  update: string;
}

/**
 * `GET /api/documents/<name>/updates?after=<seq>&until=<epoch ms>&limit=`: the log's updates after `after`, up to
 * `until`, for playing a document forward keystroke by keystroke. Not for chat documents (their log holds the
 * text of deleted messages): chat is replayed from the timeline's chat events.
 */
export const documentUpdatesQuerySchema = v.object({
  after: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(0)), 0),
  until: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(0))),
  limit: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(1), v.maxValue(5000)), 1000),
});
export interface LoggedUpdateJson {
  seq: number;
  ts: number;
  userId: string | null;
  /** base64 Yjs update */
  update: string;
}
export interface DocumentUpdatesReply {
  document: string;
  updates: LoggedUpdateJson[];
  /** More updates follow within `until`. */
  more: boolean;
}
