// React side of the call: one MediaSession per class page, its state as React state, our media flags in
// presence, and a stats hook for end-to-end tests.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { setPresence } from '../collab/useCollab.ts';
import { MediaSession } from './MediaSession.ts';
import { mediaUrl } from './MediaSignaling.ts';
import type { MediaState } from './mediaState.ts';

declare global {
  interface Window {
    /** Inbound RTP byte counts of the current call (used by end-to-end tests, handy in devtools). */
    __tandemMedia?: { receivedBytes(): Promise<{ audio: number; video: number }> };
  }
}

export function useMediaSession(
  classId: string,
  room: Classroom,
  /** `pair:<key>` on a pair page; the class's main call otherwise. */
  mediaRoom?: string,
): { session: MediaSession; state: MediaState } {
  const [session] = useState(
    () =>
      new MediaSession({
        url: mediaUrl(window.location, classId),
        classId,
        ...(mediaRoom ? { room: mediaRoom } : {}),
        token: () => room.session.token(),
        subscribeToken: (listener) => room.session.subscribeToken(listener),
      }),
  );
  const state = useSyncExternalStore(
    (notify) => session.subscribe(notify),
    () => session.state,
  );
  useEffect(() => {
    window.__tandemMedia = { receivedBytes: () => session.receivedBytes() };
    const leave = () => session.leave();
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      session.leave();
      delete window.__tandemMedia;
    };
  }, [session]);

  // Others see our microphone, camera and screen state in the people list.
  const joined = state.phase === 'joined';
  const mic = joined && state.local.mic.producerId !== null && !state.local.mic.paused;
  const cam = joined && state.local.camera.producerId !== null && !state.local.camera.paused;
  const screen = joined && state.local.screen.producerId !== null;
  useEffect(() => {
    for (const handle of room.handles) setPresence(handle.awareness, { media: { mic, cam, screen } });
  }, [room.handles, mic, cam, screen]);

  return { session, state };
}
