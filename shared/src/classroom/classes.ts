// REST shapes for classes, their roster and their sessions (scheduled -> live -> ended). Times travel as
// ISO 8601 strings; ids follow the shared id rules.
import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { ROLES } from '../roles.ts';

/** Ids containing this marker are reserved for breakout rooms (see breakouts.ts). */
export const BREAKOUT_ID_MARKER = '--';

export const classIdSchema = idSchema.refine((id) => !id.includes(BREAKOUT_ID_MARKER), {
  message: `must not contain "${BREAKOUT_ID_MARKER}" (reserved for breakout rooms)`,
});
const title = z.string().trim().min(1).max(200);
const participantLimit = z.number().int().min(1).max(10_000);
const isoTime = z.iso.datetime({ offset: true });

export const createClassBodySchema = z.strictObject({
  id: classIdSchema,
  title,
  maxParticipants: participantLimit.nullable().optional(),
});
export const patchClassBodySchema = z.strictObject({
  title: title.optional(),
  maxParticipants: participantLimit.nullable().optional(),
  /** May students and observers replay sessions and watch recordings (null: the server default). */
  replayForStudents: z.boolean().nullable().optional(),
});

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

export const rosterMemberSchema = z.strictObject({
  userId: idSchema,
  name: z.string().trim().min(1).max(80),
  role: z.enum(ROLES),
});
export type RosterMember = z.infer<typeof rosterMemberSchema>;
export const putRosterBodySchema = z.strictObject({
  members: z
    .array(rosterMemberSchema)
    .max(5000)
    .refine((m) => new Set(m.map((x) => x.userId)).size === m.length, 'user ids must be unique'),
});
export const putRosterMemberBodySchema = rosterMemberSchema.omit({ userId: true });

export const SESSION_STATES = ['scheduled', 'live', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const createSessionBodySchema = z
  .strictObject({
    title: title.optional(),
    scheduledStart: isoTime.optional(),
    scheduledEnd: isoTime.optional(),
    maxParticipants: participantLimit.nullable().optional(),
    /** Start at once (an instructor pressing "Start class"). */
    startNow: z.boolean().optional(),
    /** Record the session from its start (docs/recording.md). */
    record: z.boolean().optional(),
  })
  .refine(
    (b) => !b.scheduledStart || !b.scheduledEnd || Date.parse(b.scheduledEnd) > Date.parse(b.scheduledStart),
    { message: 'scheduledEnd must be after scheduledStart', path: ['scheduledEnd'] },
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
