// What everyone sees while the class is being recorded: a red "Recording" indicator at the top of the sidebar
// (from the class state, so people who arrive late see it too) and, before they join the call, that joining
// records their voice and camera.
import type { RecordingIndicator } from '@tandem/shared';
import './recording.css';

export function RecordingBanner({
  recording,
  inCall,
}: {
  recording: RecordingIndicator | null;
  /** The person has joined the call (the notice before joining is then said). */
  inCall: boolean;
}) {
  if (!recording) return null;
  return (
    <div className="recording-banner" role="status" data-testid="recording-indicator">
      <span className="recording-dot" aria-hidden="true" />
      <strong>Recording</strong>
      <span className="recording-text">
        {inCall
          ? 'This class is being recorded.'
          : 'This class is being recorded: joining the call records your voice, camera and screen.'}
      </span>
    </div>
  );
}
