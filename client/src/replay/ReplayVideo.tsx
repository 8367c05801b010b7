// The recording, large: a <video> of the session's MP4 export (the instructor's screen or camera, voices
// mixed). While the replay's time lies within it, the element is the clock's master. Its signed link is
// short-lived: it is renewed before it expires, or when the element fails (videoLink.ts).
import { useEffect, useRef } from 'react';
import type { ReplayClock } from './ReplayClock.ts';
import { keepVideoLinkFresh, type VideoLink } from './videoLink.ts';

export function ReplayVideo({
  clock,
  link,
  fetchLink,
  startedAt,
}: {
  clock: ReplayClock;
  /** The link the page opened with. */
  link: VideoLink;
  /** The recording's link as the server gives it now (the replay info fetched again). */
  fetchLink: () => Promise<VideoLink | null>;
  startedAt: number;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  // The first link only: later ones are swapped in by the keeper, not by a render.
  const first = useRef(link);
  const fetcher = useRef(fetchLink);
  fetcher.current = fetchLink;
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    return keepVideoLinkFresh({
      element,
      link: first.current,
      fetchLink: () => fetcher.current(),
      attach: () => clock.attachMedia(element, startedAt),
      // The duration arrives with the metadata: place the element at the clock's time once it is known.
      onFirstMetadata: () => clock.seek(clock.time),
    });
  }, [clock, startedAt]);
  return (
    <section className="replay-video" aria-label="Recording">
      {/* biome-ignore lint/a11y/useMediaCaption: a class recording has no caption track */}
      <video ref={ref} controls preload="auto" playsInline data-testid="replay-video" />
    </section>
  );
}
