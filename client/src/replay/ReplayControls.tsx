// Play, pause, skip, speed, the time, "Copy link to this moment" and the keyboard shortcuts' help.
import { useState } from 'react';
import { REPLAY_SPEEDS } from './ReplayClock.ts';
import { LONG_SKIP_MS, SHORTCUTS, SKIP_MS } from './shortcuts.ts';
import { formatOffset } from './timelineView.ts';

export interface ReplayControlsProps {
  playing: boolean;
  rate: number;
  time: number;
  from: number;
  to: number;
  helpOpen: boolean;
  onToggle(): void;
  onSkip(ms: number): void;
  onRate(rate: number): void;
  onHelp(open: boolean): void;
  link(): string;
}

export function ReplayControls(props: ReplayControlsProps) {
  const { playing, rate, time, from, to, helpOpen, onToggle, onSkip, onRate, onHelp, link } = props;
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () => {
    const url = link();
    navigator.clipboard?.writeText(url).then(
      () => setCopied('Link copied'),
      () => setCopied(url),
    ) ?? setCopied(url);
  };
  return (
    <div className="replay-controls">
      <button type="button" className="small-button" onClick={() => onSkip(-LONG_SKIP_MS)} title="Back 30 s">
        «
      </button>
      <button type="button" className="small-button" onClick={() => onSkip(-SKIP_MS)} title="Back 5 s">
        ‹
      </button>
      <button
        type="button"
        className="button primary replay-play"
        onClick={onToggle}
        data-testid="replay-play"
        aria-pressed={playing}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" className="small-button" onClick={() => onSkip(SKIP_MS)} title="Forward 5 s">
        ›
      </button>
      <button
        type="button"
        className="small-button"
        onClick={() => onSkip(LONG_SKIP_MS)}
        title="Forward 30 s"
      >
        »
      </button>
      <span className="replay-time" data-testid="replay-clock">
        {formatOffset(time - from)} / {formatOffset(to - from)}
      </span>
      <label className="replay-speed">
        Speed{' '}
        <select value={rate} onChange={(e) => onRate(Number(e.target.value))} data-testid="replay-speed">
          {REPLAY_SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}x
            </option>
          ))}
        </select>
      </label>
      <span className="replay-wallclock">{new Date(time).toLocaleTimeString()}</span>
      <button type="button" className="small-button" onClick={copy} data-testid="copy-moment">
        Copy link to this moment
      </button>
      {copied && (
        <span className="replay-copied" role="status">
          {copied}
        </span>
      )}
      <div className="replay-help-anchor">
        <button
          type="button"
          className="small-button"
          aria-expanded={helpOpen}
          onClick={() => onHelp(!helpOpen)}
          data-testid="replay-help"
        >
          Keys
        </button>
        {helpOpen && (
          <div className="replay-help" role="dialog" aria-label="Keyboard shortcuts">
            <table>
              <tbody>
                {SHORTCUTS.map((s) => (
                  <tr key={s.keys}>
                    <th scope="row">
                      <kbd>{s.keys}</kbd>
                    </th>
                    <td>{s.does}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
