// REST shapes for classes, their roster and their sessions (scheduled -> live -> ended). Times travel as
// ISO 8601 strings; ids follow the shared id rules.
import * as v from 'valibot';
import { idSchema } from '../ids.ts';
import { ROLES } from '../roles.ts';
import { isoDateTimeSchema, notArray } from '../validation.ts';

/** Ids containing this marker are reserved for breakout rooms (see breakouts.ts). */
export const BREAKOUT_ID_MARKER = '--';

export const classIdSchema = v.pipe(
  idSchema,
  v.check(
    (id) => !id.includes(BREAKOUT_ID_MARKER),
    `must not contain "${BREAKOUT_ID_MARKER}" (reserved for breakout rooms)`,
  ),
);
const title = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));
const participantLimit = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(10_000));

export const createClassBodySchema = v.strictObject({
  id: classIdSchema,
  title,
  maxParticipants: v.optional(v.nullable(participantLimit)),
});
export const patchClassBodySchema = v.pipe(
  v.unknown(),
  notArray,
  v.strictObject({
    title: v.optional(title),
    maxParticipants: v.optional(v.nullable(participantLimit)),
    /** May students and observers replay sessions and watch recordings (null: the server default). */
    replayForStudents: v.optional(v.nullable(v.boolean())),
  }),
);

export interface ClassInfo {
  id: string;
  title: string;
  /** Default participant limit for new sessions (students and observers; staff always get in). */
  maxParticipants: number | null;
  /**
   * May students and observers replay this class's sessions and watch its recordings; null: the server's
   * default (RECORDINGS_STUDENTS_MAY_WATCH).
   */
  replayForStudents: boolean | null;
  createdAt: string;
}

export const rosterMemberSchema = v.strictObject({
  userId: idSchema,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
  role: v.picklist(ROLES),
});
export type RosterMember = v.InferOutput<typeof rosterMemberSchema>;
export const putRosterBodySchema = v.strictObject({
  members: v.pipe(
    v.array(rosterMemberSchema),
    v.maxLength(5000),
    v.check((m) => new Set(m.map((x) => x.userId)).size === m.length, 'user ids must be unique'),
  ),
});
export const putRosterMemberBodySchema = v.omit(rosterMemberSchema, ['userId']);

export const SESSION_STATES = ['scheduled', 'live', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const createSessionBodySchema = v.pipe(
  v.unknown(),
  notArray,
  v.strictObject({
    title: v.optional(title),
    scheduledStart: v.optional(isoDateTimeSchema),
    scheduledEnd: v.optional(isoDateTimeSchema),
    maxParticipants: v.optional(v.nullable(participantLimit)),
    /** Start at once (an instructor pressing "Start class"). */
    startNow: v.optional(v.boolean()),
    /** Record the session from its start (docs/recording.md). */
    record: v.optional(v.boolean()),
  }),
  v.forward(
    v.check(
      (b) =>
        !b.scheduledStart || !b.scheduledEnd || Date.parse(b.scheduledEnd) > Date.parse(b.scheduledStart),
      'scheduledEnd must be after scheduledStart',
    ),
    ['scheduledEnd'],
  ),
);

export interface SessionInfo {
  id: string;
  classId: string;
  title: string;
  state: SessionState;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  startedAt: string | null;
  endedAt: string | null;
  maxParticipants: number | null;
  createdAt: string;
}
