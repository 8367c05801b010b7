// Live class controls: REST bodies and the class state a client loads on entry (and reloads on notices).
// Live state carries times as epoch milliseconds.
import * as v from 'valibot';
import { idSchema } from '../ids.ts';
import type { PublishPolicy } from '../media/rules.ts';
import type { ClassLocks } from '../permissions.ts';
import type { RecordingIndicator } from '../recording.ts';
import type { Role } from '../roles.ts';
import type { BreakoutView } from './breakouts.ts';
import type { SessionInfo } from './classes.ts';
import type { RemovedPerson } from './moderation.ts';
import type { PollView } from './pollViews.ts';

export const ANNOUNCEMENT_MAX_CHARS = 500;

export const locksBodySchema = v.pipe(
  v.strictObject({ codeLocked: v.optional(v.boolean()), boardLocked: v.optional(v.boolean()) }),
  v.check((b) => b.codeLocked !== undefined || b.boardLocked !== undefined, 'set codeLocked or boardLocked'),
);
export const followBodySchema = v.strictObject({ on: v.boolean() });
/** Staff bring everyone's page to the stage (the call shown large) or release it. */
export const stageBodySchema = v.strictObject({ on: v.boolean() });
export const spotlightBodySchema = v.strictObject({ userId: v.nullable(idSchema) });
export const announcementBodySchema = v.strictObject({
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(ANNOUNCEMENT_MAX_CHARS)),
});

export interface HandEntry {
  userId: string;
  name: string;
  role: Role;
  raisedAt: number;
  /** The breakout group the hand was raised from, or null in the main room. */
  groupId: string | null;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface Spotlight {
  user: PersonRef;
  /** The workspace document everyone may read while the spotlight lasts. */
  documentName: string;
}

export interface ClassState {
  classId: string;
  /** Set when this class id is a breakout room: its main class and group. */
  breakoutOf: { classId: string; groupId: string; groupName: string; closed: boolean } | null;
  session: SessionInfo | null;
  locks: ClassLocks;
  followMe: PersonRef | null;
  spotlight: Spotlight | null;
  /** The staff member who brought everyone to the stage (the call shown large), or null. */
  stage: PersonRef | null;
  /** Staff see the whole queue; others see only their own hand (or an empty list). */
  hands: HandEntry[];
  myHandRaised: boolean;
  chat: { mutedUntil: number | null; muted: boolean };
  breakouts: BreakoutView | null;
  /** What students may publish in the class's call (staff change it; one student may be granted more). */
  publishPolicy: PublishPolicy;
  /** Staff: who is removed from the class for the rest of the session. Others: null. */
  removed: RemovedPerson[] | null;
  /** Polls open now and closed ones whose results staff show to the class, as this person sees them. */
  polls: PollView[];
  /** Set while the class is being recorded (everyone sees it, late joiners too). */
  recording: RecordingIndicator | null;
}
