// Who the stage shows as the speaker, with hysteresis so it does not flicker: the SFU's dominant speaker
// (mediasoup's ActiveSpeakerObserver, already robust to clicks and coughs) must hold the floor for
// SWITCH_AFTER_MS before the stage moves to them, and whoever is on stage stays at least HOLD_MS. Silence
// keeps the last speaker on stage, as people expect from Zoom. Pure: time is passed in.

/** A new voice must stay dominant this long before the stage switches to it. */
export const SWITCH_AFTER_MS = 1500;
/** The person on stage stays there at least this long. */
export const HOLD_MS = 4000;

export interface SpeakerTrack {
  /** The peer on stage, or null before anyone spoke. */
  shown: string | null;
  shownSince: number;
  /** Who is dominant now but not on stage yet. */
  candidate: string | null;
  candidateSince: number;
}

export const NO_SPEAKER: SpeakerTrack = Object.freeze({
  shown: null,
  shownSince: 0,
  candidate: null,
  candidateSince: 0,
});

/**
 * The next track given who is dominant now (`heard`, null in silence) and the peers still in the call.
 * Call it on every change of `heard` and again at `decisionAt(track)`.
 */
export function trackSpeaker(
  track: SpeakerTrack,
  heard: string | null,
  nowMs: number,
  present: (peerId: string) => boolean = () => true,
): SpeakerTrack {
  // Someone who left is not kept on stage.
  const current = track.shown !== null && !present(track.shown) ? NO_SPEAKER : track;
  if (heard === null || !present(heard) || heard === current.shown) {
    return current.candidate === null ? current : { ...current, candidate: null, candidateSince: 0 };
  }
  if (current.shown === null) return { shown: heard, shownSince: nowMs, candidate: null, candidateSince: 0 };
  const since = current.candidate === heard ? current.candidateSince : nowMs;
  if (nowMs - since >= SWITCH_AFTER_MS && nowMs - current.shownSince >= HOLD_MS) {
    return { shown: heard, shownSince: nowMs, candidate: null, candidateSince: 0 };
  }
  return current.candidate === heard ? current : { ...current, candidate: heard, candidateSince: nowMs };
}

/** When a waiting candidate may take the stage (to re-run `trackSpeaker` then), or null. */
export function decisionAt(track: SpeakerTrack): number | null {
  if (track.candidate === null) return null;
  return Math.max(track.candidateSince + SWITCH_AFTER_MS, track.shownSince + HOLD_MS);
}
