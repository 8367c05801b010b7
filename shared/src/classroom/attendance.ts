// Attendance of one session: per person, presence intervals (all devices merged), time present, speaking
// time (from the media active-speaker events), messages sent and hands raised. JSON and CSV.
import type { Role } from '../roles.ts';
import type { SessionInfo } from './classes.ts';
import type { PollView } from './pollViews.ts';

export interface AttendanceInterval {
  joinedAt: string;
  leftAt: string | null;
}

export interface AttendanceEntry {
  userId: string;
  name: string;
  role: Role;
  /** On the class roster (someone on the roster who never came has no intervals). */
  onRoster: boolean;
  firstJoinedAt: string | null;
  lastLeftAt: string | null;
  presentNow: boolean;
  presentSeconds: number;
  speakingSeconds: number;
  messages: number;
  handsRaised: number;
  intervals: AttendanceInterval[];
  /** Questions this person answered in the session's polls and quizzes (anonymous ones never count here). */
  pollAnswers: number;
  /** Points this person scored in the session's quizzes (anonymous ones never count here). */
  quizPoints: number;
}

export interface AttendanceReport {
  session: SessionInfo;
  generatedAt: string;
  participants: AttendanceEntry[];
  /** The polls and quizzes launched in the session, with their results (as staff see them). */
  polls: PollView[];
}

export const ATTENDANCE_CSV_COLUMNS = [
  'user_id',
  'name',
  'role',
  'on_roster',
  'first_joined_at',
  'last_left_at',
  'present_seconds',
  'speaking_seconds',
  'messages',
  'hands_raised',
  'intervals',
  'poll_answers',
  'quiz_points',
] as const;
