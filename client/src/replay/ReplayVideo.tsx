// The recording, large: a <video> of the session's MP4 export (the instructor's screen or camera, voices
// mixed). While the replay's time lies within it, the element is the clock's master.
import { useEffect, useRef } from 'react';
import type { ReplayClock } from './ReplayClock.ts';

export function ReplayVideo({
  clock,
  src,
  startedAt,
}: {
  clock: ReplayClock;
  src: string;
  startedAt: number;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const detach = clock.attachMedia(element, startedAt);
    // The duration arrives with the metadata: place the element at the clock's time once it is known.
    const onMeta = () => clock.seek(clock.time);
    element.addEventListener('loadedmetadata', onMeta);
    return () => {
      element.removeEventListener('loadedmetadata', onMeta);
      detach();
    };
  }, [clock, startedAt]);
  return (
    <section className="replay-video" aria-label="Recording">
      {/* biome-ignore lint/a11y/useMediaCaption: a class recording has no caption track */}
      <video ref={ref} src={src} controls preload="auto" playsInline data-testid="replay-video" />
    </section>
  );
}
