// Seconds left until a poll's timer closes it, ticking once a second.
import { useEffect, useState } from 'react';

export function Countdown({ until }: { until: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.round((until - now) / 1000));
  const text = left >= 60 ? `${Math.floor(left / 60)} min ${left % 60} s` : `${left} s`;
  return (
    <span className="poll-countdown" data-testid="poll-countdown">
      {text} left
    </span>
  );
}
