import type { SessionInfo } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { attendanceCsv, buildAttendance, csvCell } from '../../../server/src/classroom/attendanceReport.ts';

const T0 = Date.parse('2030-01-01T09:00:00.000Z');
const session: SessionInfo = {
  id: 's1',
  classId: 'c',
  title: 'Week 1',
  state: 'ended',
  scheduledStart: null,
  scheduledEnd: null,
  startedAt: new Date(T0).toISOString(),
  endedAt: new Date(T0 + 3_600_000).toISOString(),
  maxParticipants: null,
  createdAt: new Date(T0).toISOString(),
};

describe('buildAttendance', () => {
  const report = buildAttendance({
    session,
    people: [
      { userId: 'ana', name: 'Ana', role: 'student', messages: 3, handsRaised: 1, speakingMs: 61_250 },
      { userId: 'ines', name: 'Ines', role: 'instructor', messages: 0, handsRaised: 0, speakingMs: 0 },
    ],
    intervals: [
      { userId: 'ana', joinedAt: T0, leftAt: T0 + 600_000 },
      { userId: 'ana', joinedAt: T0 + 900_000, leftAt: null },
      { userId: 'ines', joinedAt: T0, leftAt: T0 + 3_600_000 },
    ],
    roster: [
      { userId: 'ana', name: 'Ana', role: 'student' },
      { userId: 'zoe', name: 'Zoe', role: 'student' },
    ],
    presentIds: new Set(['ana']),
    liveSpeakingMs: new Map([['ana', 1_000]]),
    now: T0 + 7_200_000,
  });
  const byId = (id: string) => report.participants.find((p) => p.userId === id)!;

  it('sums intervals; an interval still open ends with the session', () => {
    expect(byId('ana').presentSeconds).toBe(600 + 2700);
    expect(byId('ana').lastLeftAt).toBeNull();
    expect(byId('ana').firstJoinedAt).toBe('2030-01-01T09:00:00.000Z');
    expect(byId('ines').presentSeconds).toBe(3600);
  });

  it('adds speaking under way and rounds to a tenth of a second', () => {
    expect(byId('ana').speakingSeconds).toBe(62.3);
  });

  it('orders staff first, lists absentees from the roster, and is not "present now" after the end', () => {
    expect(report.participants.map((p) => p.userId)).toEqual(['ines', 'ana', 'zoe']);
    expect(byId('zoe')).toMatchObject({ onRoster: true, presentSeconds: 0, intervals: [] });
    expect(byId('ines').onRoster).toBe(false);
    expect(byId('ana').presentNow).toBe(false);
  });

  it('writes CSV with one row per person', () => {
    const lines = attendanceCsv(report).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      'ana,Ana,student,yes,2030-01-01T09:00:00.000Z,,3300,62.3,3,1,2030-01-01T09:00:00.000Z/2030-01-01T09:10:00.000Z 2030-01-01T09:15:00.000Z/,0,0',
    );
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
  ])('%j -> %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });
});
