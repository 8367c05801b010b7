// In-call buttons: microphone and camera on/off, screen share, leave.
import { Icon } from '../ui/icons.tsx';
import type { MediaState } from './mediaState.ts';

export interface CallControlsProps {
  state: MediaState;
  can: { mic: boolean; cam: boolean; screen: boolean };
  onMic(): void;
  onCam(): void;
  onScreen(): void;
  onLeave(): void;
}

export function CallControls({ state, can, onMic, onCam, onScreen, onLeave }: CallControlsProps) {
  const mic = state.local.mic;
  const micOn = mic.producerId !== null && !mic.paused;
  const camOn = state.local.camera.producerId !== null;
  const sharing = state.local.screen.producerId !== null;
  return (
    <div className="video-controls">
      {can.mic && (
        <button
          type="button"
          className={micOn ? '' : 'off'}
          onClick={onMic}
          aria-pressed={micOn}
          data-testid="toggle-mic"
        >
          <Icon name={micOn ? 'mic' : 'micOff'} /> {micOn ? 'Mute' : 'Unmute'}
        </button>
      )}
      {can.cam && (
        <button
          type="button"
          className={camOn ? '' : 'off'}
          onClick={onCam}
          aria-pressed={camOn}
          data-testid="toggle-cam"
        >
          <Icon name={camOn ? 'cam' : 'camOff'} /> {camOn ? 'Stop video' : 'Start video'}
        </button>
      )}
      {can.screen && (
        <button
          type="button"
          className={sharing ? 'active' : ''}
          onClick={onScreen}
          aria-pressed={sharing}
          data-testid="toggle-screen"
        >
          <Icon name="screen" /> {sharing ? 'Stop sharing' : 'Share screen'}
        </button>
      )}
      <button type="button" onClick={onLeave} data-testid="leave-call">
        Leave
      </button>
    </div>
  );
}
