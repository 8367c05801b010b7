// Turns stored attendance (people, intervals, roster, live speaking) into the report, and the report into
// CSV. Pure: the same input always gives the same output.
import {
  ATTENDANCE_CSV_COLUMNS,
  type AttendanceEntry,
  type AttendanceReport,
  type PollView,
  type Role,
  type RosterMember,
  type SessionInfo,
} from '@tandem/shared';
import type { AttendancePersonRow, IntervalRow } from '../storage/types/attendance.ts';

export interface AttendanceInput {
  session: SessionInfo;
  people: readonly AttendancePersonRow[];
  intervals: readonly IntervalRow[];
  roster: readonly RosterMember[];
  presentIds: ReadonlySet<string>;
  /** Speaking still under way, not yet stored. */
  liveSpeakingMs: ReadonlyMap<string, number>;
  now: number;
  /** The session's polls and each person's part in those that are not anonymous (../polls/pollAttendance.ts). */
  polls?: { views: PollView[]; perPerson: ReadonlyMap<string, { answers: number; points: number }> };
}

const ROLE_ORDER: Record<Role, number> = { instructor: 0, assistant: 1, student: 2, observer: 3 };
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** Seconds with one decimal: short sessions and turns still show. */
const seconds = (ms: number) => Math.round(ms / 100) / 10;

export function buildAttendance(input: AttendanceInput): AttendanceReport {
  const { session, now } = input;
  const openEndsAt = session.endedAt ? Date.parse(session.endedAt) : now;
  const rosterIds = new Map(input.roster.map((m) => [m.userId, m]));
  const pollsOf = (userId: string) => {
    const part = input.polls?.perPerson.get(userId);
    return { pollAnswers: part?.answers ?? 0, quizPoints: part?.points ?? 0 };
  };
  const byUser = new Map<string, IntervalRow[]>();
  for (const interval of input.intervals) {
    const list = byUser.get(interval.userId) ?? [];
    list.push(interval);
    byUser.set(interval.userId, list);
  }

  const entries: AttendanceEntry[] = input.people.map((p) => {
    const intervals = byUser.get(p.userId) ?? [];
    const presentMs = intervals.reduce(
      (sum, i) => sum + Math.max(0, (i.leftAt ?? openEndsAt) - i.joinedAt),
      0,
    );
    const lastLeft = intervals.some((i) => i.leftAt === null)
      ? null
      : Math.max(...intervals.map((i) => i.leftAt ?? 0));
    return {
      userId: p.userId,
      name: p.name,
      role: p.role,
      onRoster: rosterIds.has(p.userId),
      firstJoinedAt: intervals.length ? iso(Math.min(...intervals.map((i) => i.joinedAt))) : null,
      lastLeftAt: intervals.length ? iso(lastLeft) : null,
      presentNow: input.presentIds.has(p.userId) && session.state === 'live',
      presentSeconds: seconds(presentMs),
      speakingSeconds: seconds(p.speakingMs + (input.liveSpeakingMs.get(p.userId) ?? 0)),
      messages: p.messages,
      handsRaised: p.handsRaised,
      intervals: intervals.map((i) => ({ joinedAt: iso(i.joinedAt)!, leftAt: iso(i.leftAt) })),
      ...pollsOf(p.userId),
    };
  });

  const seen = new Set(entries.map((e) => e.userId));
  for (const member of input.roster) {
    if (seen.has(member.userId)) continue;
    entries.push({
      userId: member.userId,
      name: member.name,
      role: member.role,
      onRoster: true,
      firstJoinedAt: null,
      lastLeftAt: null,
      presentNow: false,
      presentSeconds: 0,
      speakingSeconds: 0,
      messages: 0,
      handsRaised: 0,
      intervals: [],
      ...pollsOf(member.userId),
    });
  }
  entries.sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      a.name.localeCompare(b.name) ||
      a.userId.localeCompare(b.userId),
  );
  return { session, generatedAt: iso(now)!, participants: entries, polls: input.polls?.views ?? [] };
}

export function attendanceCsv(report: AttendanceReport): string {
  const rows = report.participants.map((e) =>
    [
      e.userId,
      e.name,
      e.role,
      e.onRoster ? 'yes' : 'no',
      e.firstJoinedAt ?? '',
      e.lastLeftAt ?? '',
      String(e.presentSeconds),
      String(e.speakingSeconds),
      String(e.messages),
      String(e.handsRaised),
      e.intervals.map((i) => `${i.joinedAt}/${i.leftAt ?? ''}`).join(' '),
      String(e.pollAnswers),
      String(e.quizPoints),
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[ATTENDANCE_CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
