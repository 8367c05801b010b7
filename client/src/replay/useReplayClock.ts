// Owns the replay's clock and the document player of the open document: seeks reload the player, playback
// advances it every animation frame, and React sees the time at most ten times a second (enough for the
// scrubber and the chat; documents follow the clock frame by frame outside React).
import { useEffect, useMemo, useState } from 'react';
import { DocPlayer } from './DocPlayer.ts';
import { ReplayClock } from './ReplayClock.ts';
import type { ReplayApi } from './replayApi.ts';

const UI_UPDATE_MS = 100;

export interface ClockView {
  time: number;
  playing: boolean;
  rate: number;
}

export function useReplayClock(range: { from: number; to: number }, start: number) {
  const { from, to } = range;
  const clock = useMemo(() => {
    const c = new ReplayClock({ from, to });
    c.seek(start);
    return c;
  }, [from, to, start]);
  const [view, setView] = useState<ClockView>(() => ({ time: clock.time, playing: false, rate: 1 }));

  useEffect(() => {
    let frame: number | null = null;
    let shownAt = 0;
    const show = () => setView({ time: clock.time, playing: clock.playing, rate: clock.rate });
    const loop = (now: number) => {
      frame = null;
      clock.tick();
      if (now - shownAt >= UI_UPDATE_MS) {
        shownAt = now;
        show();
      }
      if (clock.playing) frame = requestAnimationFrame(loop);
      else show();
    };
    const unsubscribe = clock.subscribe(() => {
      show();
      if (clock.playing && frame === null) frame = requestAnimationFrame(loop);
    });
    show();
    return () => {
      unsubscribe();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [clock]);

  return { clock, view };
}

/** The player of one document, kept in step with the clock. */
export function useDocPlayer(api: ReplayApi, clock: ReplayClock, docName: string | null): DocPlayer | null {
  const player = useMemo(
    () => (docName ? new DocPlayer(docName, api.source(docName)) : null),
    [api, docName],
  );
  useEffect(() => {
    if (!player) return;
    void player.seek(clock.time);
    let frame: number | null = null;
    const follow = () => {
      frame = null;
      player.advance(clock.time);
      if (clock.playing) frame = requestAnimationFrame(follow);
    };
    const unsubscribe = clock.subscribe((change) => {
      if (change === 'seek') void player.seek(clock.time);
      // Paused: the document catches up with the exact time the clock stopped at.
      else if (!clock.playing) player.advance(clock.time);
      if (clock.playing && frame === null) frame = requestAnimationFrame(follow);
    });
    if (clock.playing) frame = requestAnimationFrame(follow);
    return () => {
      unsubscribe();
      if (frame !== null) cancelAnimationFrame(frame);
      player.destroy();
    };
  }, [player, clock]);
  return player;
}
