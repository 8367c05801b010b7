// Shown inside a breakout group: which group this is, and the way back to the main room (automatic when
// staff close the rooms).
import type { ClassState } from '@tandem/shared';
import { markLeft, returnToMain } from './breakoutNav.ts';

export function BreakoutBar({ state }: { state: ClassState }) {
  const group = state.breakoutOf;
  if (!group) return null;
  return (
    <div className="breakout-banner" data-testid="breakout-bar">
      Breakout: <strong>{group.groupName}</strong>
      {group.closed && <span className="muted"> (closed: the code stays here, read-only)</span>}
      <button
        type="button"
        className="small-button"
        onClick={() => {
          markLeft(state.classId);
          if (!returnToMain(state.classId)) window.alert('Open the main class again from your course page.');
        }}
      >
        Back to the main room
      </button>
    </div>
  );
}
