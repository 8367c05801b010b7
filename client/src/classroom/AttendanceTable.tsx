// A session's attendance report as the staff page shows it (pure): per person time present, speaking time,
// messages, hands and, once the session has polls, questions answered (and quiz points once it has a quiz);
// under the table one line per poll: how many answered and, for a quiz that is not anonymous, the average score.
import type { AttendanceReport, PollView } from '@tandem/shared';

const duration = (seconds: number) => {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
};

export function AttendanceTable({ report }: { report: AttendanceReport }) {
  const polls = report.polls.length > 0;
  const quizzes = report.polls.some((p) => p.kind === 'quiz');
  return (
    <>
      {/* A narrow sidebar scrolls the table sideways, not the whole staff panel. */}
      <div className="attendance-scroll">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Present</th>
              <th>Spoke</th>
              <th title="Messages">Msgs</th>
              <th title="Hands raised">Hands</th>
              {polls && <th title="Poll and quiz questions answered (anonymous polls not counted)">Polls</th>}
              {quizzes && <th title="Quiz points scored (anonymous quizzes not counted)">Points</th>}
            </tr>
          </thead>
          <tbody>
            {report.participants.map((p) => (
              <tr
                key={p.userId}
                data-user-id={p.userId}
                className={p.intervals.length === 0 ? 'absent' : p.presentNow ? 'here' : ''}
              >
                <td title={p.userId}>
                  {p.name}
                  {p.presentNow && <span className="here-dot" title="here now" />}
                </td>
                <td>{p.intervals.length === 0 ? 'absent' : duration(p.presentSeconds)}</td>
                <td>{duration(p.speakingSeconds)}</td>
                <td>{p.messages}</td>
                <td>{p.handsRaised}</td>
                {polls && <td data-column="poll-answers">{p.pollAnswers}</td>}
                {quizzes && <td data-column="quiz-points">{p.quizPoints}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {polls && (
        <ul className="attendance-polls" aria-label="Polls in this session">
          {report.polls.map((poll) => (
            <li key={poll.id} data-poll-summary={poll.id}>
              {pollSummary(poll)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function pollSummary(poll: PollView): string {
  const responders = poll.results?.responders ?? 0;
  const parts = [
    poll.title,
    [poll.kind, poll.anonymous ? 'anonymous' : null, poll.state === 'open' ? 'open' : null]
      .filter(Boolean)
      .join(', '),
    `${responders} ${responders === 1 ? 'person' : 'people'} answered`,
  ];
  const scores = poll.results?.scores;
  const max = poll.results?.maxPoints;
  if (scores && scores.length > 0 && max !== null && max !== undefined) {
    const average = scores.reduce((sum, s) => sum + s.points, 0) / scores.length;
    parts.push(`average ${Math.round(average * 10) / 10} / ${max} points`);
  }
  return parts.join(' · ');
}
