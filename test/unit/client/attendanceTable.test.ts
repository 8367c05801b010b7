// The staff page's attendance table rendered to static markup: poll answers and quiz points per person once the
// session has polls (and a quiz), a line per poll under it, and names escaped.
import type { AttendanceEntry, AttendanceReport, PollView } from '@tandem/shared';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AttendanceTable } from '../../../client/src/classroom/AttendanceTable.tsx';

const person = (userId: string, name: string, pollAnswers: number, quizPoints: number): AttendanceEntry => ({
  userId,
  name,
  role: 'student',
  onRoster: true,
  firstJoinedAt: '2026-01-01T10:00:00.000Z',
  lastLeftAt: null,
  presentNow: true,
  presentSeconds: 90,
  speakingSeconds: 0,
  messages: 2,
  handsRaised: 1,
  intervals: [{ joinedAt: '2026-01-01T10:00:00.000Z', leftAt: null }],
  pollAnswers,
  quizPoints,
});
const pollOf = (patch: Partial<PollView>): PollView => ({
  id: 'p1',
  classId: 'c1',
  sessionId: 's1',
  title: 'Poll',
  kind: 'poll',
  state: 'closed',
  anonymous: false,
  timerSeconds: null,
  questions: [],
  createdAt: 1,
  openedAt: 2,
  closedAt: 3,
  closesAt: null,
  shown: false,
  mine: null,
  results: { responders: 2, questions: [], maxPoints: null, scores: null },
  ...patch,
});
const report = (polls: PollView[]): AttendanceReport => ({
  session: {} as AttendanceReport['session'],
  generatedAt: '2026-01-01T11:00:00.000Z',
  participants: [person('ana', 'Ana', 3, 6), person('evil', '<img src=x onerror=alert(1)>', 1, 0)],
  polls,
});
const render = (r: AttendanceReport) => renderToStaticMarkup(createElement(AttendanceTable, { report: r }));
const cell = (html: string, userId: string, column: string) =>
  html.match(new RegExp(`data-user-id="${userId}"[\\s\\S]*?data-column="${column}">([^<]*)<`))?.[1];

describe('AttendanceTable', () => {
  it('has no poll columns in a session without polls', () => {
    const html = render(report([]));
    expect(html).not.toContain('data-column="poll-answers"');
    expect(html).not.toContain('attendance-polls');
  });

  it('shows questions answered per person and a line per poll', () => {
    const html = render(report([pollOf({ title: 'Tabs or spaces' })]));
    expect(html).toContain('>Polls</th>');
    expect(html).not.toContain('>Points</th>');
    expect(cell(html, 'ana', 'poll-answers')).toBe('3');
    expect(cell(html, 'evil', 'poll-answers')).toBe('1');
    expect(html).toContain('Tabs or spaces · poll · 2 people answered');
    expect(html).not.toContain('<img');
  });

  it('adds quiz points and the average score of a quiz that is not anonymous', () => {
    const quiz = pollOf({
      id: 'q1',
      title: 'Loops',
      kind: 'quiz',
      results: {
        responders: 2,
        questions: [],
        maxPoints: 6,
        scores: [
          { userId: 'ana', name: 'Ana', points: 6 },
          { userId: 'evil', name: 'E', points: 0 },
        ],
      },
    });
    const anonymous = pollOf({ id: 'a1', title: 'Mood', anonymous: true, state: 'open' });
    const html = render(report([quiz, anonymous]));
    expect(html).toContain('>Points</th>');
    expect(cell(html, 'ana', 'quiz-points')).toBe('6');
    expect(cell(html, 'evil', 'quiz-points')).toBe('0');
    expect(html).toContain('Loops · quiz · 2 people answered · average 3 / 6 points');
    expect(html).toContain('Mood · poll, anonymous, open · 2 people answered');
  });
});
