// The call in the sidebar (or the whole embed in `view=video`): pre-join preview, then the grid of tiles
// with the active speaker highlighted (and staff's actions menu on each), and the controls. Says clearly when
// video is unavailable (before Join too), refused, or ended because the sign-in expired. On a pair page it is
// the pair's own call (`room`).
import { publishDecision } from '@tandem/shared';
import { useState } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { usePersonActions } from '../classroom/PersonActions.tsx';
import { CallControls } from './CallControls.tsx';
import { describeMediaError, openScreen, openTrack } from './devices.ts';
import { orderPeers } from './mediaState.ts';
import { PreviewPane } from './PreviewPane.tsx';
import { useMediaSession } from './useMediaSession.ts';
import { useMediaStatus } from './useMediaStatus.ts';
import { RemoteTile, SelfTile } from './VideoTile.tsx';

export function VideoPanel({
  classId,
  room,
  mediaRoom,
}: {
  classId: string;
  room: Classroom;
  /** `pair:<key>` on a pair page (its own call); the class's main call otherwise. */
  mediaRoom?: string;
}) {
  const { session, state } = useMediaSession(classId, room, mediaRoom);
  const media = useMediaStatus();
  const actionsFor = usePersonActions(room, classId);
  const [error, setError] = useState<string | null>(null);
  const claims = room.claims;
  if (!claims) return null;
  const grant = state.self?.grant ?? null;
  const may = (source: 'mic' | 'camera' | 'screen') =>
    publishDecision(claims.role, state.policy, source, grant).ok;
  const can = { mic: may('mic'), cam: may('camera'), screen: may('screen') };

  const run = (action: () => Promise<void>, what: 'camera' | 'microphone' | 'screen') => {
    setError(null);
    action().catch((e: unknown) => setError(describeMediaError(e, what).message));
  };

  const toggleMic = () => {
    const mic = state.local.mic;
    if (mic.producerId) run(() => session.setPaused('mic', !mic.paused), 'microphone');
    else
      run(
        async () => session.publish('mic', await openTrack('mic', { micId: null, camId: null })),
        'microphone',
      );
  };
  const toggleCam = () => {
    if (state.local.camera.producerId) run(() => session.unpublish('camera'), 'camera');
    else
      run(
        async () => session.publish('camera', await openTrack('cam', { micId: null, camId: null })),
        'camera',
      );
  };
  const toggleScreen = () => {
    if (state.local.screen.producerId) run(() => session.unpublish('screen'), 'screen');
    else run(async () => session.publish('screen', await openScreen()), 'screen');
  };

  if ((state.phase === 'idle' || state.phase === 'left') && media.status?.available === false) {
    return (
      <section className="video-panel" aria-label="Video call">
        <p className="media-error" role="alert" data-testid="media-unavailable">
          Video is not available: {media.status.reason ?? 'this server has no video calls'}.
        </p>
        <button type="button" className="link-button" onClick={media.recheck}>
          Check again
        </button>
      </section>
    );
  }
  if (state.phase === 'idle' || state.phase === 'left') {
    return (
      <section className="video-panel" aria-label="Video call">
        {state.notice && <p className="media-note">{state.notice}</p>}
        <PreviewPane
          canPublish={{ mic: can.mic, cam: can.cam }}
          busy={false}
          onJoin={(tracks) => {
            void session.join({
              ...(tracks.mic ? { mic: tracks.mic } : {}),
              ...(tracks.cam ? { camera: tracks.cam } : {}),
            });
          }}
        />
      </section>
    );
  }
  if (state.phase === 'expired') {
    return (
      <section className="video-panel" aria-label="Video call">
        <div className="refused" role="alert" data-testid="media-expired" data-reason="expired">
          <strong>Session expired</strong>
          <p>{state.error}</p>
        </div>
      </section>
    );
  }
  if (state.phase === 'unavailable' || state.phase === 'refused') {
    return (
      <section className="video-panel" aria-label="Video call">
        <p className="media-error" role="alert" data-testid="media-unavailable">
          {state.phase === 'unavailable' ? 'Video is not available right now' : 'The call refused you'}
          {state.error ? `: ${state.error}` : '.'}
        </p>
      </section>
    );
  }

  const peers = orderPeers(state.peers, state.activeSpeaker);
  const selfVideo = state.local.screen.track ?? state.local.camera.track;
  const micOn = state.local.mic.producerId !== null && !state.local.mic.paused;
  return (
    <section className="video-panel" aria-label="Video call" data-phase={state.phase}>
      {state.phase !== 'joined' && (
        <p className="media-note" role="status">
          {state.phase === 'connecting' ? 'Joining the call…' : 'Reconnecting to the call…'}
        </p>
      )}
      <div className="video-grid" data-testid="video-grid">
        <SelfTile name={claims.name} userId={claims.sub} track={selfVideo} micOn={micOn} />
        {peers.map((peer) => (
          <RemoteTile
            key={peer.info.peerId}
            peer={peer}
            session={session}
            speaking={state.activeSpeaker === peer.info.peerId}
            actions={actionsFor?.({ id: peer.info.userId, name: peer.info.name })}
          />
        ))}
      </div>
      {state.notice && (
        <p className="media-note" role="status">
          {state.notice}{' '}
          <button type="button" className="link-button" onClick={() => session.clearNotice()}>
            OK
          </button>
        </p>
      )}
      {error && (
        <p className="media-error" role="alert">
          {error}
        </p>
      )}
      <CallControls
        state={state}
        can={can}
        onMic={toggleMic}
        onCam={toggleCam}
        onScreen={toggleScreen}
        onLeave={() => session.leave()}
      />
    </section>
  );
}
