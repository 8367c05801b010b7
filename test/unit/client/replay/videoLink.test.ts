// The recording's signed link is renewed before it expires and when the element fails; the swap keeps the
// replay's position and play state (the clock is detached while the new source loads, attached again after).
import { describe, expect, it } from 'vitest';
import { type MediaLike, ReplayClock } from '../../../../client/src/replay/ReplayClock.ts';
import {
  keepVideoLinkFresh,
  type LinkedMedia,
  RENEW_BEFORE_MS,
  RETRY_RENEW_MS,
  type VideoLink,
} from '../../../../client/src/replay/videoLink.ts';
import { waitFor } from '../../../helpers/waitFor.ts';

const FROM = 1_000_000;
const TO = FROM + 2 * 3_600_000;
const TTL = 10 * 60_000;

/** A <video> as far as the keeper and the clock see it: a new `src` empties it (time 0, paused). */
class FakeVideo implements MediaLike, LinkedMedia {
  #src = '';
  currentTime = 0;
  duration = Number.NaN;
  paused = true;
  ended = false;
  playbackRate = 1;
  plays = 0;
  readonly listeners = new Map<string, Set<() => void>>();
  get src() {
    return this.#src;
  }
  set src(url: string) {
    this.#src = url;
    this.currentTime = 0;
    this.paused = true;
    this.duration = Number.NaN;
    this.playbackRate = 1;
  }
  play() {
    this.plays++;
    this.paused = false;
    this.fire('play');
  }
  pause() {
    this.paused = true;
    this.fire('pause');
  }
  /** The browser read the source's metadata. */
  loaded() {
    this.duration = (TO - FROM) / 1000;
    this.fire('loadedmetadata');
  }
  addEventListener(type: string, listener: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void) {
    this.listeners.get(type)?.delete(listener);
  }
  fire(type: string) {
    for (const l of [...(this.listeners.get(type) ?? [])]) l();
  }
}

/** One wall clock for everything (the page's Date.now and the replay clock's performance.now). */
function setup(fetchLink: (n: number) => Promise<VideoLink | null>) {
  let wall = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let nextTimer = 1;
  const now = () => wall;
  /** Moves the wall clock, running the timers that come due. */
  const advance = (ms: number) => {
    const end = wall + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      wall = Math.max(wall, due[1].at);
      due[1].run();
    }
    wall = end;
  };
  const clock = new ReplayClock({ from: FROM, to: TO }, now);
  const video = new FakeVideo();
  let fetches = 0;
  const link = (n: number): VideoLink => ({ url: `/files/r1?v=${n}`, expiresAt: wall + TTL });
  const stop = keepVideoLinkFresh({
    element: video,
    link: link(0),
    fetchLink: () => fetchLink(++fetches),
    attach: () => clock.attachMedia(video, FROM),
    onFirstMetadata: () => clock.seek(clock.time),
    now,
    setTimer: (run, ms) => {
      const id = nextTimer++;
      timers.set(id, { at: wall + ms, run });
      return id;
    },
    clearTimer: (id) => timers.delete(id as number),
  });
  return { clock, video, advance, stop, link, fetches: () => fetches, timers };
}

describe('keepVideoLinkFresh', () => {
  it('renews the link shortly before it expires, keeping the time and playing on', async () => {
    const s = setup(async (n) => s.link(n));
    expect(s.video.src).toBe('/files/r1?v=0');
    s.video.loaded();
    s.clock.seek(FROM + 100_000);
    s.clock.play();
    expect(s.video.paused).toBe(false);
    // The element plays on to just before the renewal: its time is the clock's.
    const renewAt = TTL - RENEW_BEFORE_MS;
    s.advance(renewAt - 1);
    s.video.currentTime += (renewAt - 1) / 1000;
    expect(s.fetches()).toBe(0);
    s.advance(1);
    s.video.currentTime += 0.001;
    await waitFor(() => s.video.src === '/files/r1?v=1');
    expect(s.fetches()).toBe(1);
    // Loading the new source: the clock runs on by itself.
    expect(s.clock.mediaIsMaster).toBe(false);
    s.advance(500);
    const expected = FROM + 100_000 + renewAt + 500;
    expect(s.clock.time).toBe(expected);
    expect(s.clock.playing).toBe(true);
    s.video.loaded();
    // Back at the clock's time, playing, the element the master again.
    expect(s.video.currentTime * 1000).toBe(expected - FROM);
    expect(s.video.paused).toBe(false);
    expect(s.clock.mediaIsMaster).toBe(true);
    // And the new link is renewed in turn.
    s.advance(TTL - RENEW_BEFORE_MS);
    await waitFor(() => s.video.src === '/files/r1?v=2');
    s.stop();
  });

  it('renews on an error (a seek with an expired link) and keeps a paused replay paused', async () => {
    const s = setup(async (n) => s.link(n));
    s.video.loaded();
    s.clock.seek(FROM + 3_600_000);
    expect(s.video.currentTime).toBe(3600);
    const plays = s.video.plays;
    s.video.fire('error');
    await waitFor(() => s.video.src === '/files/r1?v=1');
    s.video.loaded();
    expect(s.video.currentTime).toBe(3600);
    expect(s.video.paused).toBe(true);
    expect(s.video.plays).toBe(plays);
    expect(s.clock.playing).toBe(false);
    expect(s.clock.time).toBe(FROM + 3_600_000);
    s.stop();
  });

  it('does not loop on a source that keeps failing, and retries a failed renewal later', async () => {
    let fail = false;
    const s = setup(async (n) => {
      if (fail) throw new Error('offline');
      return s.link(n);
    });
    s.video.loaded();
    s.video.fire('error');
    await waitFor(() => s.video.src === '/files/r1?v=1');
    // The new source fails before loading anything: no second renewal for it.
    s.video.fire('error');
    s.video.fire('error');
    await Promise.resolve();
    expect(s.fetches()).toBe(1);
    // A renewal that fails is tried again later.
    fail = true;
    s.advance(TTL - RENEW_BEFORE_MS);
    await waitFor(() => s.fetches() === 2);
    await waitFor(() => [...s.timers.values()].length === 1);
    fail = false;
    s.advance(RETRY_RENEW_MS);
    await waitFor(() => s.video.src === '/files/r1?v=3');
    s.stop();
    expect(s.timers.size).toBe(0);
  });
});
