// The stage: the call shown large in the main area (or the whole `view=video` embed). Speaker view puts one
// tile large (pinned, else a screen share with the presenter's camera as a small overlay, else the speaker,
// chosen with hysteresis) and the others in a strip; the gallery shows every tile as large as the area
// allows. Any tile can be pinned; the stage can go fullscreen; staff can bring everyone's page here.
import type { PersonRef } from '@tandem/shared';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Icon } from '../ui/icons.tsx';
import { Switch } from '../ui/Switch.tsx';
import { CallControls } from './CallControls.tsx';
import { CallGate } from './CallGate.tsx';
import { CallTile } from './CallTile.tsx';
import {
  bestGrid,
  galleryOrder,
  type StageMode,
  type StageTile,
  speakerLayout,
  tilesOf,
} from './stageLayout.ts';
import type { Call } from './useCall.ts';
import { useStageSpeaker } from './useStageSpeaker.ts';

export interface StageChoices {
  mode: StageMode;
  setMode(mode: StageMode): void;
  /** The pinned tile's key, or null. */
  pinned: string | null;
  setPinned(key: string | null): void;
}

export interface StageViewProps {
  call: Call;
  self: { userId: string; name: string };
  choices: StageChoices;
  /** Who brought everyone here (class state), or null. */
  broughtBy: PersonRef | null;
  /** Staff: bring everyone's page to the stage, or let them go. */
  onBringEveryone?(on: boolean): Promise<unknown>;
  /** Staff: the per-person actions menu on each person's tiles (classroom/PersonActions.tsx). */
  actionsFor?(person: { id: string; name: string }): ReactNode;
}

export function StageView({ call, self, choices, broughtBy, onBringEveryone, actionsFor }: StageViewProps) {
  const { state } = call;
  const sectionRef = useRef<HTMLElement>(null);
  const fullscreen = useFullscreen(sectionRef);
  const tiles = tilesOf(state, self);
  const speaker = useStageSpeaker(
    state.activeSpeaker,
    tiles.map((t) => t.peerId),
  );
  const { mode, pinned } = choices;
  const pin = (tile: StageTile) => () => choices.setPinned(pinned === tile.key ? null : tile.key);
  const render = (tile: StageTile) => (
    <CallTile
      key={tile.key}
      tile={tile}
      call={call}
      pinned={pinned === tile.key}
      onPin={pin(tile)}
      actionsFor={actionsFor}
    />
  );

  return (
    <section
      ref={sectionRef}
      className="stage-view"
      aria-label="Stage"
      data-call
      data-phase={state.phase}
      data-mode={mode}
      data-testid="stage"
    >
      <div className="stage-toolbar">
        <fieldset className="segmented">
          <legend className="sr-only">Layout</legend>
          <button
            type="button"
            aria-pressed={mode === 'speaker'}
            onClick={() => choices.setMode('speaker')}
            data-testid="layout-speaker"
          >
            <Icon name="speakerView" /> Speaker
          </button>
          <button
            type="button"
            aria-pressed={mode === 'gallery'}
            onClick={() => choices.setMode('gallery')}
            data-testid="layout-gallery"
          >
            <Icon name="gallery" /> Gallery
          </button>
        </fieldset>
        {broughtBy && broughtBy.id !== self.userId && (
          <span className="stage-note" data-testid="stage-brought-by">
            {broughtBy.name} brought everyone to the stage
          </span>
        )}
        <span className="stage-toolbar-end">
          {onBringEveryone && (
            <Switch
              checked={broughtBy !== null}
              onChange={onBringEveryone}
              testId="bring-to-stage"
              title="Everyone's page switches to this stage until you turn it off"
            >
              Bring everyone to the stage
            </Switch>
          )}
          <button
            type="button"
            className="button"
            onClick={() => void fullscreen.toggle()}
            aria-pressed={fullscreen.on}
            data-testid="stage-fullscreen"
          >
            <Icon name={fullscreen.on ? 'exitFullscreen' : 'fullscreen'} />
            {fullscreen.on ? 'Exit full screen' : 'Full screen'}
          </button>
        </span>
      </div>
      <div className="stage-body">
        <CallGate call={call}>
          {mode === 'speaker' ? (
            <SpeakerStage layout={speakerLayout(tiles, pinned, speaker)} render={render} />
          ) : (
            <Gallery tiles={galleryOrder(tiles, pinned)} render={render} />
          )}
        </CallGate>
      </div>
      {state.phase !== 'idle' && state.phase !== 'left' && (
        <div className="stage-controls">
          <CallControls
            state={state}
            can={call.can}
            onMic={call.toggleMic}
            onCam={call.toggleCam}
            onScreen={call.toggleScreen}
            onLeave={call.leave}
          />
        </div>
      )}
    </section>
  );
}

const CORNERS = ['bottom-right', 'bottom-left', 'top-left', 'top-right'] as const;

function SpeakerStage({
  layout,
  render,
}: {
  layout: ReturnType<typeof speakerLayout>;
  render(tile: StageTile): React.ReactNode;
}) {
  // The presenter's camera covers a corner of their screen: the viewer can move it to another one.
  const [corner, setCorner] = useState(0);
  return (
    <div className="stage-speaker">
      <div className="stage-main" data-testid="stage-main" data-tile={layout.main?.key ?? ''}>
        {layout.main && render(layout.main)}
        {layout.overlay && (
          <div className={`stage-overlay at-${CORNERS[corner]}`} data-testid="stage-overlay">
            {render(layout.overlay)}
            <button
              type="button"
              className="overlay-move"
              onClick={() => setCorner((c) => (c + 1) % CORNERS.length)}
              title="Move this camera to the next corner"
              aria-label="Move the presenter’s camera to the next corner"
              data-testid="overlay-move"
            >
              <Icon name="moveCorner" size={14} />
            </button>
          </div>
        )}
      </div>
      {layout.strip.length > 0 && (
        <div className="stage-strip" data-testid="stage-strip">
          {layout.strip.map(render)}
        </div>
      )}
    </div>
  );
}

function Gallery({ tiles, render }: { tiles: StageTile[]; render(tile: StageTile): React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() =>
      setSize({ width: element.clientWidth, height: element.clientHeight }),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const { cols, rows } = bestGrid(tiles.length, size.width, size.height);
  return (
    <div
      ref={ref}
      className="stage-gallery"
      data-testid="stage-gallery"
      style={{
        gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
        gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))`,
      }}
    >
      {tiles.map(render)}
    </div>
  );
}

/** The element in fullscreen or not, following the browser (Esc leaves fullscreen without our button). */
function useFullscreen(ref: React.RefObject<HTMLElement | null>) {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const update = () => setOn(document.fullscreenElement === ref.current && ref.current !== null);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, [ref]);
  return {
    on,
    toggle: async () => {
      if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
      else await ref.current?.requestFullscreen().catch(() => undefined);
    },
  };
}
