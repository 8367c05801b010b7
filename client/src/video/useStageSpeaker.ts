// The stage's speaker over time: feeds the SFU's dominant speaker into speakerTracker.ts and re-checks when
// a waiting candidate may take over, so the stage switches once, after the hysteresis, and not on every blip.
import { useEffect, useRef, useState } from 'react';
import { decisionAt, NO_SPEAKER, type SpeakerTrack, trackSpeaker } from './speakerTracker.ts';

export function useStageSpeaker(heard: string | null, present: readonly string[]): string | null {
  const [track, setTrack] = useState<SpeakerTrack>(NO_SPEAKER);
  const presentKey = present.join(' ');
  const presentRef = useRef(present);
  presentRef.current = present;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `presentKey` stands for `present`
  useEffect(() => {
    setTrack((t) => trackSpeaker(t, heard, Date.now(), (id) => presentRef.current.includes(id)));
  }, [heard, presentKey]);

  useEffect(() => {
    const at = decisionAt(track);
    if (at === null) return;
    const timer = setTimeout(
      () => setTrack((t) => trackSpeaker(t, heard, Date.now(), (id) => presentRef.current.includes(id))),
      Math.max(0, at - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [track, heard]);

  return track.shown;
}
