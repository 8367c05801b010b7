// Row-to-object mapping shared by both engines: the tables have the same columns on SQLite and PostgreSQL
// (times as epoch milliseconds), and the API speaks ISO 8601.
import {
  type ClassInfo,
  type NotificationKind,
  notificationLinkSchema,
  type SessionInfo,
  type SessionState,
  type UserNotification,
} from '@tandem/shared';
import * as v from 'valibot';

export interface ClassRow {
  id: string;
  title: string;
  max_participants: number | null;
  created_at: number;
  /** SQLite stores 0/1, PostgreSQL a boolean; null: the server default. */
  replay_for_students: number | boolean | null;
}

export interface SessionRow {
  id: string;
  class_id: string;
  title: string;
  state: SessionState;
  scheduled_start: number | null;
  scheduled_end: number | null;
  started_at: number | null;
  ended_at: number | null;
  max_participants: number | null;
  created_at: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const toClass = (r: ClassRow): ClassInfo => ({
  id: r.id,
  title: r.title,
  maxParticipants: r.max_participants,
  replayForStudents: r.replay_for_students === null ? null : Boolean(r.replay_for_students),
  createdAt: new Date(r.created_at).toISOString(),
});

export const toSession = (r: SessionRow): SessionInfo => ({
  id: r.id,
  classId: r.class_id,
  title: r.title,
  state: r.state,
  scheduledStart: iso(r.scheduled_start),
  scheduledEnd: iso(r.scheduled_end),
  startedAt: iso(r.started_at),
  endedAt: iso(r.ended_at),
  maxParticipants: r.max_participants,
  createdAt: iso(r.created_at)!,
});

export interface NotificationRow {
  id: number;
  class_id: string;
  user_id: string;
  kind: NotificationKind;
  title: string;
  text: string;
  /** JSON of a NotificationLink, or null. */
  link: string | null;
  created_at: number;
  read_at: number | null;
}

/** A link that no longer parses (written by another version) reads as none rather than fail the inbox. */
function parseLink(json: string | null): UserNotification['link'] {
  if (json === null) return null;
  try {
    const parsed = v.safeParse(notificationLinkSchema, JSON.parse(json));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

export const toNotification = (r: NotificationRow): UserNotification => ({
  id: r.id,
  userId: r.user_id,
  classId: r.class_id,
  kind: r.kind,
  title: r.title,
  text: r.text,
  link: parseLink(r.link),
  createdAt: r.created_at,
  readAt: r.read_at,
});
