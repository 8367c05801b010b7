// One person in the call: their camera or screen (or an avatar), their audio, name, mute state, the
// active-speaker highlight, a connection quality indicator and (for staff) their actions menu.
import { type ReactNode, useRef } from 'react';
import { colorFor } from '../presence/colors.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/icons.tsx';
import type { MediaSession } from './MediaSession.ts';
import { type RemotePeer, streamOf } from './mediaState.ts';
import type { Quality } from './quality.ts';
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

export function RemoteTile({
  peer,
  session,
  speaking,
  actions,
}: {
  peer: RemotePeer;
  session: MediaSession;
  speaking: boolean;
  /** Staff: the per-person actions menu (classroom/PersonActions.tsx). */
  actions?: ReactNode;
}) {
  const tileRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const screen = streamOf(peer, 'screen');
  const camera = streamOf(peer, 'camera');
  const mic = streamOf(peer, 'mic');
  const shown = screen ?? (camera && !camera.paused ? camera : undefined);
  useTrack(videoRef, shown?.track);
  useTrack(audioRef, mic?.track);
  usePreferredLayer(tileRef, session, camera?.consumerId);
  const quality = useQuality(session, (shown ?? mic)?.consumerId);
  const micOn = mic !== undefined && !mic.paused;
  return (
    <div
      ref={tileRef}
      className={`video-tile${speaking ? ' speaking' : ''}${screen ? ' screen' : ''}`}
      data-peer={peer.info.userId}
      data-testid="remote-tile"
    >
      {shown ? (
        <video ref={videoRef} autoPlay playsInline muted />
      ) : (
        <div className="tile-avatar">
          <Avatar name={peer.info.name} color={colorFor(peer.info.userId)} size="md" />
        </div>
      )}
      {/* biome-ignore lint/a11y/useMediaCaption: live call audio has no caption track to offer */}
      <audio ref={audioRef} autoPlay />
      <div className="tile-label">
        <Icon name={micOn ? 'mic' : 'micOff'} size={12} title={micOn ? 'Microphone on' : 'Muted'} />
        <span className="name">{peer.info.name}</span>
        {mic?.mutedByStaff && <span className="muted-by-staff">muted by staff</span>}
        <QualityBars quality={quality} />
      </div>
      {actions}
    </div>
  );
}

export function SelfTile({
  name,
  userId,
  track,
  micOn,
}: {
  name: string;
  userId: string;
  track: MediaStreamTrack | null;
  micOn: boolean;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  useTrack(videoRef, track);
  return (
    <div className="video-tile self" data-testid="self-tile">
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
    </div>
  );
}
