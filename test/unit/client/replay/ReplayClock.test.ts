// The replay clock: an internal clock at the chosen speed, and a media element as the master within its
// recording (time = startedAt + currentTime), handing over at the recording's edges.
import { describe, expect, it } from 'vitest';
import { type MediaLike, ReplayClock } from '../../../../client/src/replay/ReplayClock.ts';
import { waitFor } from '../../../helpers/waitFor.ts';

const FROM = 1_000_000;
const TO = FROM + 600_000;

function manualNow() {
  let wall = 0;
  return { now: () => wall, advance: (ms: number) => (wall += ms) };
}

class FakeMedia implements MediaLike {
  currentTime = 0;
  duration = 120;
  paused = true;
  ended = false;
  playbackRate = 1;
  readonly listeners = new Map<string, Set<() => void>>();
  play() {
    this.paused = false;
    this.fire('play');
  }
  pause() {
    this.paused = true;
    this.fire('pause');
  }
  addEventListener(type: string, listener: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void) {
    this.listeners.get(type)?.delete(listener);
  }
  fire(type: string) {
    for (const l of this.listeners.get(type) ?? []) l();
  }
}

describe('ReplayClock without media', () => {
  it('starts at the beginning, paused, and does not move until played', () => {
    const wall = manualNow();
    const clock = new ReplayClock({ from: FROM, to: TO }, wall.now);
    wall.advance(5000);
    expect(clock.time).toBe(FROM);
    expect(clock.playing).toBe(false);
  });

  it('runs at the chosen speed and keeps its time across a change of speed', () => {
    const wall = manualNow();
    const clock = new ReplayClock({ from: FROM, to: TO }, wall.now);
    clock.play();
    wall.advance(1000);
    expect(clock.time).toBe(FROM + 1000);
    clock.setRate(2);
    wall.advance(1000);
    expect(clock.time).toBe(FROM + 3000);
    clock.setRate(10); // clamped to 3x
    expect(clock.rate).toBe(3);
    clock.setRate(0.1);
    expect(clock.rate).toBe(0.5);
    clock.pause();
    wall.advance(1000);
    expect(clock.time).toBe(FROM + 3000);
  });

  it('seeks within its range only and tells listeners why they are called', () => {
    const wall = manualNow();
    const clock = new ReplayClock({ from: FROM, to: TO }, wall.now);
    const changes: string[] = [];
    clock.subscribe((c) => changes.push(c));
    clock.seek(FROM + 42_000);
    expect(clock.time).toBe(FROM + 42_000);
    clock.skip(-100_000);
    expect(clock.time).toBe(FROM);
    clock.seek(TO + 1);
    expect(clock.time).toBe(TO);
    clock.toggle();
    expect(changes).toEqual(['seek', 'seek', 'seek', 'seek', 'state']);
  });

  it('stops at the end, and playing again starts over', () => {
    const wall = manualNow();
    const clock = new ReplayClock({ from: FROM, to: TO }, wall.now);
    clock.seek(TO - 500);
    clock.play();
    wall.advance(1000);
    clock.tick();
    expect(clock.playing).toBe(false);
    expect(clock.time).toBe(TO);
    clock.play();
    expect(clock.time).toBe(FROM);
  });
});

describe('ReplayClock with a recording', () => {
  const START = FROM + 60_000;

  it('reads its time from the element within the recording, and follows a seek made on the element', () => {
    const wall = manualNow();
    const clock = new ReplayClock({ from: FROM, to: TO }, wall.now);
    const media = new FakeMedia();
    clock.attachMedia(media, START);
    clock.seek(START + 10_000);
    expect(clock.mediaIsMaster).toBe(true);
    expect(media.currentTime).toBe(10);
    const changes: string[] = [];
    clock.subscribe((c) => changes.push(c));
    media.currentTime = 33.5;
    media.fire('seeked');
    expect(changes).toEqual(['seek']);
    expect(clock.time).toBe(START + 33_500);
    wall.advance(60_000); // wall time means nothing while the element is the master
    expect(clock.time).toBe(START + 33_500);
  });

  it('takes the element as master when it is seeked or played by its own controls', () => {
    const wall = manualNow();
    const clock = new ReplayClock({ from: FROM, to: TO }, wall.now);
    const media = new FakeMedia();
    clock.attachMedia(media, START);
    expect(clock.mediaIsMaster).toBe(false); // the replay opens at the session's start, before the recording
    media.currentTime = 7;
    media.fire('seeked');
    expect(clock.mediaIsMaster).toBe(true);
    expect(clock.time).toBe(START + 7000);
    clock.seek(FROM);
    media.play();
    expect(clock.playing).toBe(true);
    expect(clock.time).toBe(START + 7000);
  });

  it('plays, pauses and changes speed through the element; the element’s own controls drive the clock', () => {
    const clock = new ReplayClock({ from: FROM, to: TO }, manualNow().now);
    const media = new FakeMedia();
    clock.attachMedia(media, START);
    clock.seek(START);
    clock.play();
    expect(media.paused).toBe(false);
    clock.setRate(1.5);
    expect(media.playbackRate).toBe(1.5);
    clock.pause();
    expect(media.paused).toBe(true);
    media.play();
    expect(clock.playing).toBe(true);
    media.pause();
    expect(clock.playing).toBe(false);
  });

  it('runs on its own before the recording and hands over to the element when the time reaches it', () => {
    const wall = manualNow();
    const clock = new ReplayClock({ from: FROM, to: TO }, wall.now);
    const media = new FakeMedia();
    clock.attachMedia(media, START);
    clock.seek(FROM);
    expect(clock.mediaIsMaster).toBe(false);
    clock.play();
    wall.advance(60_500);
    clock.tick();
    expect(clock.mediaIsMaster).toBe(true);
    expect(media.paused).toBe(false);
    expect(media.currentTime).toBeCloseTo(0.5);
  });

  it('pauses when the browser refuses to play the element', async () => {
    const clock = new ReplayClock({ from: FROM, to: TO }, manualNow().now);
    const media = new FakeMedia();
    media.play = () => Promise.reject(new Error('NotAllowedError')) as never;
    clock.attachMedia(media, START);
    clock.seek(START + 1000);
    clock.play();
    expect(clock.playing).toBe(true);
    await waitFor(() => !clock.playing);
    expect(clock.time).toBe(START + 1000);
  });

  it('carries on with the internal clock after the recording ends', () => {
    const wall = manualNow();
    const clock = new ReplayClock({ from: FROM, to: TO }, wall.now);
    const media = new FakeMedia();
    clock.attachMedia(media, START);
    clock.seek(START + 119_000);
    clock.play();
    media.currentTime = 120;
    media.ended = true;
    media.fire('ended');
    expect(clock.mediaIsMaster).toBe(false);
    expect(clock.playing).toBe(true);
    wall.advance(2000);
    expect(clock.time).toBe(START + 122_000);
    clock.seek(START + 200_000); // beyond the recording: the element pauses
    expect(media.paused).toBe(true);
  });
});
