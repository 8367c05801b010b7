// The page's one call: the media session and its state, whether the server has video at all, what this
// person may publish, and the actions the call's buttons take (with the browser's refusals in words). The
// sidebar's call panel and the stage are two views of it.
import { publishDecision } from '@tandem/shared';
import { useCallback, useMemo, useState } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { describeMediaError, openScreen, openTrack } from './devices.ts';
import type { MediaSession } from './MediaSession.ts';
import type { MediaState } from './mediaState.ts';
import { useMediaSession } from './useMediaSession.ts';
import { useMediaStatus } from './useMediaStatus.ts';

export interface Call {
  session: MediaSession;
  state: MediaState;
  /** Null until known: `available: false` means this server has no video calls. */
  status: ReturnType<typeof useMediaStatus>['status'];
  recheck(): void;
  can: { mic: boolean; cam: boolean; screen: boolean };
  /** The last action's refusal (camera busy, permission denied...), in words. */
  error: string | null;
  join(tracks: { mic: MediaStreamTrack | null; cam: MediaStreamTrack | null }): void;
  toggleMic(): void;
  toggleCam(): void;
  toggleScreen(): void;
  leave(): void;
}

/** `mediaRoom`: `pair:<key>` on a pair page (the pair's own call); the class's main call otherwise. */
export function useCall(classId: string, room: Classroom, mediaRoom?: string): Call {
  const { session, state } = useMediaSession(classId, room, mediaRoom);
  const media = useMediaStatus();
  const [error, setError] = useState<string | null>(null);
  const role = room.claims?.role ?? 'observer';
  // Staff may have let this person speak or present (a grant) beyond the class's policy.
  const grant = state.self?.grant ?? null;
  const may = (source: 'mic' | 'camera' | 'screen') => publishDecision(role, state.policy, source, grant).ok;
  const mic = may('mic');
  const cam = may('camera');
  const screen = may('screen');
  const can = useMemo(() => ({ mic, cam, screen }), [mic, cam, screen]);

  const run = useCallback((action: () => Promise<void>, what: 'camera' | 'microphone' | 'screen') => {
    setError(null);
    action().catch((e: unknown) => setError(describeMediaError(e, what).message));
  }, []);
  const noDevice = { micId: null, camId: null };

  return {
    session,
    state,
    status: media.status,
    recheck: media.recheck,
    can,
    error,
    join: (tracks) => {
      setError(null);
      void session.join({
        ...(tracks.mic ? { mic: tracks.mic } : {}),
        ...(tracks.cam ? { camera: tracks.cam } : {}),
      });
    },
    toggleMic: () => {
      const local = state.local.mic;
      if (local.producerId) run(() => session.setPaused('mic', !local.paused), 'microphone');
      else run(async () => session.publish('mic', await openTrack('mic', noDevice)), 'microphone');
    },
    toggleCam: () => {
      if (state.local.camera.producerId) run(() => session.unpublish('camera'), 'camera');
      else run(async () => session.publish('camera', await openTrack('cam', noDevice)), 'camera');
    },
    toggleScreen: () => {
      if (state.local.screen.producerId) run(() => session.unpublish('screen'), 'screen');
      else run(async () => session.publish('screen', await openScreen()), 'screen');
    },
    leave: () => session.leave(),
  };
}
