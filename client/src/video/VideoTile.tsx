// One source in the call: a person's camera (or their avatar while it is off) or their screen share, with
// their name, mute state, the speaking highlight, a connection quality indicator, a pin button and (for
// staff) their actions menu. Audio plays elsewhere (CallAudio), so a tile can be moved or hidden freely.
import { type ReactNode, useRef } from 'react';
import { colorFor } from '../presence/colors.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/icons.tsx';
import type { MediaSession } from './MediaSession.ts';
import { type RemotePeer, streamOf } from './mediaState.ts';
import type { Quality } from './quality.ts';
import type { TileSource } from './stageLayout.ts';
import { usePreferredLayer, useQuality, useTrack } from './useTileMedia.ts';

export function QualityBars({ quality }: { quality: Quality }) {
  const label = quality === 'unknown' ? 'Connection quality: measuring' : `Connection quality: ${quality}`;
  return (
    <span className={`quality q-${quality}`} title={label} role="img" aria-label={label}>
      <span />
      <span />
      <span />
    </span>
  );
}

/** Pinning keeps a tile large on the stage whoever speaks. */
export interface PinProps {
  pinned?: boolean;
  onPin?(): void;
}

function PinButton({ pinned, onPin, label }: PinProps & { label: string }) {
  if (!onPin) return null;
  return (
    <button
      type="button"
      className={pinned ? 'tile-pin pinned' : 'tile-pin'}
      onClick={onPin}
      aria-pressed={!!pinned}
      aria-label={pinned ? `Unpin ${label}` : `Pin ${label}`}
      title={pinned ? `Unpin ${label}` : `Pin ${label} to the stage`}
      data-testid="pin-tile"
    >
      <Icon name="pin" size={14} />
    </button>
  );
}

function tileClass(parts: Record<string, boolean>): string {
  return ['video-tile', ...Object.entries(parts).flatMap(([name, on]) => (on ? [name] : []))].join(' ');
}

export function RemoteTile({
  peer,
  session,
  speaking,
  source = 'camera',
  pinned,
  onPin,
  actions,
}: {
  peer: RemotePeer;
  session: MediaSession;
  speaking: boolean;
  source?: TileSource;
  /** Staff: the per-person actions menu (classroom/PersonActions.tsx). */
  actions?: ReactNode;
} & PinProps) {
  const tileRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const stream = streamOf(peer, source);
  const mic = streamOf(peer, 'mic');
  const shown = stream && !(source === 'camera' && stream.paused) ? stream : undefined;
  useTrack(videoRef, shown?.track);
  usePreferredLayer(tileRef, session, source === 'camera' ? stream?.consumerId : undefined);
  const quality = useQuality(session, (shown ?? mic)?.consumerId);
  const micOn = mic !== undefined && !mic.paused;
  const label = source === 'screen' ? `${peer.info.name}’s screen` : peer.info.name;
  return (
    <div
      ref={tileRef}
      className={tileClass({
        speaking: speaking && source === 'camera',
        screen: source === 'screen',
        pinned: !!pinned,
      })}
      data-peer={peer.info.userId}
      data-source={source}
      data-testid="remote-tile"
    >
      {shown ? (
        <video ref={videoRef} autoPlay playsInline muted />
      ) : (
        <div className="tile-avatar">
          <Avatar name={peer.info.name} color={colorFor(peer.info.userId)} size="md" />
        </div>
      )}
      <div className="tile-label">
        {source === 'screen' ? (
          <Icon name="screen" size={12} title="Screen share" />
        ) : (
          <Icon name={micOn ? 'mic' : 'micOff'} size={12} title={micOn ? 'Microphone on' : 'Muted'} />
        )}
        <span className="name">{label}</span>
        {source === 'camera' && mic?.mutedByStaff && <span className="muted-by-staff">muted by staff</span>}
        <QualityBars quality={quality} />
      </div>
      <PinButton pinned={pinned} onPin={onPin} label={label} />
      {actions}
    </div>
  );
}

export function SelfTile({
  name,
  userId,
  track,
  micOn,
  speaking = false,
  pinned,
  onPin,
}: {
  name: string;
  userId: string;
  track: MediaStreamTrack | null;
  micOn: boolean;
  speaking?: boolean;
} & PinProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  useTrack(videoRef, track);
  return (
    <div
      className={tileClass({ self: true, speaking, pinned: !!pinned })}
      data-source="camera"
      data-testid="self-tile"
    >
      {track ? (
        <video ref={videoRef} autoPlay playsInline muted className="mirror" />
      ) : (
        <div className="tile-avatar">
          <Avatar name={name} color={colorFor(userId)} size="md" />
        </div>
      )}
      <div className="tile-label">
        <Icon name={micOn ? 'mic' : 'micOff'} size={12} title={micOn ? 'Microphone on' : 'Muted'} />
        <span className="name">{name} (you)</span>
      </div>
      <PinButton pinned={pinned} onPin={onPin} label="your video" />
    </div>
  );
}

/** Our own screen share: not shown back to us (a picture of the screen inside the screen), but said. */
export function SelfScreenTile({ onStop, pinned, onPin }: { onStop(): void } & PinProps) {
  return (
    <div
      className={tileClass({ self: true, screen: true, pinned: !!pinned })}
      data-source="screen"
      data-testid="self-screen-tile"
    >
      <div className="tile-avatar self-sharing">
        <Icon name="screen" size={22} />
        <span>You are sharing your screen</span>
        <button type="button" className="small-button" onClick={onStop}>
          Stop sharing
        </button>
      </div>
      <PinButton pinned={pinned} onPin={onPin} label="your screen" />
    </div>
  );
}
