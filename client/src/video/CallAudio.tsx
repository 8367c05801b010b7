// Everyone's voice, played once per person wherever their tiles are (sidebar, stage, or nowhere when the
// call panel is hidden): audio does not belong to a tile, which may be shown twice or not at all.
import { useRef } from 'react';
import type { MediaState } from './mediaState.ts';
import { streamOf } from './mediaState.ts';
import { useTrack } from './useTileMedia.ts';

export function CallAudio({ state }: { state: MediaState }) {
  return (
    <div className="call-audio" hidden>
      {state.peers.map((peer) => {
        const mic = streamOf(peer, 'mic');
        return mic ? <PeerAudio key={mic.consumerId} track={mic.track} peerId={peer.info.userId} /> : null;
      })}
    </div>
  );
}

function PeerAudio({ track, peerId }: { track: MediaStreamTrack; peerId: string }) {
  const ref = useRef<HTMLAudioElement>(null);
  useTrack(ref, track);
  // biome-ignore lint/a11y/useMediaCaption: live call audio has no caption track to offer
  return <audio ref={ref} autoPlay data-peer={peerId} />;
}
