// The replay's timeline bar: a slider over the whole session, markers for what happened (click one to jump
// there), and below it the activity strip (edits and chat messages over time).
import type { ActivityStripReply } from '@tandem/shared';
import { formatOffset, type Marker } from './timelineView.ts';

export function ReplayScrubber({
  from,
  to,
  time,
  markers,
  activity,
  onSeek,
}: {
  from: number;
  to: number;
  time: number;
  markers: readonly Marker[];
  activity: ActivityStripReply | null;
  onSeek(t: number): void;
}) {
  const span = Math.max(1, to - from);
  const percent = (t: number) => `${(Math.min(1, Math.max(0, (t - from) / span)) * 100).toFixed(3)}%`;
  return (
    <div className="replay-scrubber" data-testid="replay-scrubber">
      <div className="replay-markers">
        {markers.map((m) => (
          <button
            key={m.id}
            type="button"
            className={`replay-marker marker-${m.kind}`}
            style={{ left: percent(m.at) }}
            title={`${formatOffset(m.at - from)} · ${m.label}`}
            aria-label={`${formatOffset(m.at - from)}: ${m.label}`}
            data-marker-kind={m.kind}
            data-at={m.at}
            onClick={() => onSeek(m.at)}
          />
        ))}
      </div>
      <input
        type="range"
        className="replay-slider"
        min={from}
        max={to}
        step={100}
        value={Math.round(time)}
        aria-label="Replay position"
        aria-valuetext={formatOffset(time - from)}
        data-testid="replay-slider"
        onChange={(e) => onSeek(Number(e.target.value))}
      />
      {activity && <ActivityStrip activity={activity} from={from} span={span} />}
    </div>
  );
}

function ActivityStrip({
  activity,
  from,
  span,
}: {
  activity: ActivityStripReply;
  from: number;
  span: number;
}) {
  const max = Math.max(1, ...activity.edits, ...activity.chat);
  const width = Math.max(0.1, (activity.bucketMs / span) * 100);
  return (
    <div
      className="replay-activity"
      role="img"
      aria-label="Activity: edits and chat over time"
      data-testid="replay-activity"
    >
      {activity.edits.map((edits, i) => {
        const chat = activity.chat[i] ?? 0;
        if (edits === 0 && chat === 0) return null;
        const left = ((activity.from + i * activity.bucketMs - from) / span) * 100;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: buckets are positions in time, never reordered
          <span key={i} className="replay-bucket" style={{ left: `${left}%`, width: `${width}%` }}>
            <span className="replay-bucket-edits" style={{ height: `${(edits / max) * 100}%` }} />
            <span className="replay-bucket-chat" style={{ height: `${(chat / max) * 100}%` }} />
          </span>
        );
      })}
    </div>
  );
}
