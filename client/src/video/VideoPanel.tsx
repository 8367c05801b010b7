// The call in the sidebar while the editor or whiteboard has the main area (and on the pair page, the pair's
// own call): pre-join preview, then a small grid with one tile per source (a screen share next to the
// presenter's camera, never instead of it) with staff's actions menu on each person's tiles, a way to watch a
// share on the stage, and the controls. The stage (StageView) is the large view of the same call.
import type { ReactNode } from 'react';
import { CallControls } from './CallControls.tsx';
import { CallGate } from './CallGate.tsx';
import { CallTile } from './CallTile.tsx';
import { galleryOrder, tilesOf } from './stageLayout.ts';
import type { Call } from './useCall.ts';

export function VideoPanel({
  call,
  self,
  onOpenStage,
  actionsFor,
}: {
  call: Call;
  self: { userId: string; name: string };
  /** Shows the stage in the main area (absent where there is no stage, e.g. the pair page). */
  onOpenStage?(): void;
  /** Staff: the per-person actions menu (classroom/PersonActions.tsx). */
  actionsFor?(person: { id: string; name: string }): ReactNode;
}) {
  const { state } = call;
  const tiles = galleryOrder(tilesOf(state, self), null);
  const presenter = tiles.find((t) => t.source === 'screen' && !t.self);
  return (
    <section className="video-panel" aria-label="Video call" data-call data-phase={state.phase}>
      <CallGate call={call}>
        {presenter && onOpenStage && (
          <div className="share-banner" role="status">
            <span>{presenter.name} is sharing their screen</span>
            <button type="button" className="button primary" onClick={onOpenStage} data-testid="watch-share">
              Watch on stage
            </button>
          </div>
        )}
        <div className="video-grid" data-testid="video-grid">
          {tiles.map((tile) => (
            <CallTile key={tile.key} tile={tile} call={call} actionsFor={actionsFor} />
          ))}
        </div>
        <CallControls
          state={state}
          can={call.can}
          onMic={call.toggleMic}
          onCam={call.toggleCam}
          onScreen={call.toggleScreen}
          onLeave={call.leave}
        />
      </CallGate>
    </section>
  );
}
