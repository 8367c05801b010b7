// The call in the sidebar while the editor or whiteboard has the main area: pre-join preview, then a small
// grid with one tile per source (a screen share next to the presenter's camera, never instead of it), a way
// to watch a share on the stage, and the controls. The stage (StageView) is the large view of the same call.
import { CallControls } from './CallControls.tsx';
import { CallGate } from './CallGate.tsx';
import { CallTile } from './CallTile.tsx';
import { galleryOrder, tilesOf } from './stageLayout.ts';
import type { Call } from './useCall.ts';

export function VideoPanel({
  call,
  self,
  onOpenStage,
}: {
  call: Call;
  self: { userId: string; name: string };
  /** Shows the stage in the main area (absent where there is no stage, e.g. the pair page). */
  onOpenStage?(): void;
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
            <CallTile key={tile.key} tile={tile} call={call} />
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
