// Keeps the recording's <video> playable past its signed link's expiry (server/src/recording/signedUrls.ts: a
// link works for minutes; a class lasts hours, and the element fetches ranges with the link on every seek).
// Shortly before `expiresAt`, or when the element reports an error, the replay info is fetched again and the
// element's `src` is swapped: the clock is detached while the new source loads (it runs on by itself meanwhile)
// and attached again once its metadata is known, which puts the element back at the clock's time and playing
// if the replay plays. So the position and the play state survive the swap.
import type { MediaLike } from './ReplayClock.ts';

export interface VideoLink {
  url: string;
  /** Epoch ms (the server's clock) when the link stops working. */
  expiresAt: number;
}

/** The part of HTMLVideoElement the keeper needs. */
export interface LinkedMedia extends MediaLike {
  src: string;
}

/** How long before its expiry a link is renewed (covers a client clock that is a little behind). */
export const RENEW_BEFORE_MS = 60_000;
/** After a failed renewal, the next try. */
export const RETRY_RENEW_MS = 30_000;

export interface VideoLinkOptions {
  element: LinkedMedia;
  link: VideoLink;
  /** The recording's link as the server gives it now; null when it has none any more. */
  fetchLink: () => Promise<VideoLink | null>;
  /** Attaches the replay's clock to the element (placing it at the clock's time); returns the detach. */
  attach: () => () => void;
  /** Called once, when the first source's metadata is known. */
  onFirstMetadata?: () => void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Starts playing `link` in `element` and keeps it fresh; returns the stop. */
export function keepVideoLinkFresh(options: VideoLinkOptions): () => void {
  const {
    element,
    fetchLink,
    attach,
    now = Date.now,
    setTimer = (run, ms) => setTimeout(run, ms),
    clearTimer = (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  } = options;
  let link = options.link;
  let stopped = false;
  let timer: unknown = null;
  let renewing = false;
  let detach: (() => void) | null = null;
  let firstMetadata = true;
  /** The current source loaded its metadata (an error afterwards is worth one renewal). */
  let loaded = false;
  /** An error already led to a renewal of a source that never loaded: no loop on a file that is gone. */
  let errorRenewed = false;

  const schedule = (ms: number) => {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(
      () => {
        timer = null;
        void renew();
      },
      Math.max(0, ms),
    );
  };

  const onMetadata = () => {
    loaded = true;
    errorRenewed = false;
    if (!detach) detach = attach();
    if (firstMetadata) {
      firstMetadata = false;
      options.onFirstMetadata?.();
    }
  };

  const onError = () => {
    if (stopped || renewing) return;
    if (!loaded && errorRenewed) return;
    errorRenewed = true;
    void renew();
  };

  const renew = async () => {
    if (stopped || renewing) return;
    renewing = true;
    let next: VideoLink | null;
    try {
      next = await fetchLink();
    } catch {
      renewing = false;
      if (!stopped) schedule(RETRY_RENEW_MS);
      return;
    }
    renewing = false;
    if (stopped || !next) return;
    link = next;
    // The clock runs by itself while the new source loads; attaching again (on its metadata) puts the element
    // at the clock's time, playing if the replay plays.
    detach?.();
    detach = null;
    loaded = false;
    element.src = link.url;
    schedule(link.expiresAt - RENEW_BEFORE_MS - now());
  };

  element.addEventListener('loadedmetadata', onMetadata);
  element.addEventListener('error', onError);
  element.src = link.url;
  detach = attach();
  schedule(link.expiresAt - RENEW_BEFORE_MS - now());

  return () => {
    stopped = true;
    if (timer !== null) clearTimer(timer);
    element.removeEventListener('loadedmetadata', onMetadata);
    element.removeEventListener('error', onError);
    detach?.();
    detach = null;
  };
}
