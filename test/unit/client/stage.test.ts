// The stage without a browser: one tile per source (a screen share never hides the presenter's camera),
// what the speaker view puts large, over it and in the strip, pinning, the gallery's order and grid, and the
// speaker hysteresis (the stage does not flicker between voices).
import type { PeerInfo } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import * as S from '../../../client/src/video/mediaState.ts';
import {
  decisionAt,
  HOLD_MS,
  NO_SPEAKER,
  type SpeakerTrack,
  SWITCH_AFTER_MS,
  trackSpeaker,
} from '../../../client/src/video/speakerTracker.ts';
import {
  bestGrid,
  galleryOrder,
  mainTile,
  speakerLayout,
  tilesOf,
} from '../../../client/src/video/stageLayout.ts';

const track = {} as MediaStreamTrack;
const info = (peerId: string, name: string): PeerInfo => ({
  peerId,
  userId: `u-${peerId}`,
  name,
  role: 'student',
  grant: null,
});
const stream = (source: 'camera' | 'screen' | 'mic', paused = false) => ({
  consumerId: `c-${source}`,
  producerId: `p-${source}`,
  source,
  track,
  paused,
  mutedByStaff: false,
});

function call(opts: { selfCamera?: boolean; selfScreen?: boolean } = {}): S.MediaState {
  let state: S.MediaState = { ...S.INITIAL_MEDIA_STATE, phase: 'joined', self: info('me', 'Me') };
  if (opts.selfCamera) state = S.withLocal(state, 'camera', { producerId: 'pc', track });
  if (opts.selfScreen) state = S.withLocal(state, 'screen', { producerId: 'ps', track });
  const peers: S.RemotePeer[] = [
    { info: info('ada', 'Ada'), streams: [stream('camera'), stream('screen'), stream('mic')] },
    { info: info('bob', 'Bob'), streams: [stream('camera', true)] },
    { info: info('cy', 'Cy'), streams: [stream('camera')] },
  ];
  return { ...state, peers };
}
const me = { userId: 'u-me', name: 'Me' };
const keys = (tiles: readonly { key: string }[]) => tiles.map((t) => t.key);

describe('tiles', () => {
  it('gives each person a camera tile and each screen share a tile of its own', () => {
    const tiles = tilesOf(call({ selfCamera: true, selfScreen: true }), me);
    expect(keys(tiles)).toEqual([
      'me:camera',
      'me:screen',
      'ada:camera',
      'ada:screen',
      'bob:camera',
      'cy:camera',
    ]);
    expect(tiles.find((t) => t.key === 'ada:camera')?.video).toBe(true);
    expect(tiles.find((t) => t.key === 'bob:camera')?.video).toBe(false); // paused camera: the avatar
    expect(tiles.find((t) => t.key === 'me:camera')?.self).toBe(true);
  });
});

describe('speaker view', () => {
  const tiles = tilesOf(call({ selfCamera: true }), me);

  it('puts a screen share large with the presenter’s camera over it, and everyone else in the strip', () => {
    const layout = speakerLayout(tiles, null, 'cy');
    expect(layout.main?.key).toBe('ada:screen');
    expect(layout.overlay?.key).toBe('ada:camera');
    expect(keys(layout.strip)).toEqual(['cy:camera', 'bob:camera', 'me:camera']);
  });

  it('without a share shows the speaker large, never ourselves while anyone else is here', () => {
    const noShare = tiles.filter((t) => t.source !== 'screen');
    expect(mainTile(noShare, null, 'cy')?.key).toBe('cy:camera');
    expect(mainTile(noShare, null, 'me')?.key).toBe('ada:camera'); // we spoke: someone with video instead
    expect(
      mainTile(
        noShare.filter((t) => t.self),
        null,
        null,
      )?.key,
    ).toBe('me:camera');
    expect(speakerLayout(noShare, null, 'cy').overlay).toBeNull();
  });

  it('keeps a pinned tile large whoever speaks or shares; the share then goes to the strip', () => {
    const layout = speakerLayout(tiles, 'bob:camera', 'cy');
    expect(layout.main?.key).toBe('bob:camera');
    expect(layout.overlay).toBeNull();
    expect(keys(layout.strip)[0]).toBe('ada:screen');
    expect(keys(layout.strip)).toContain('ada:camera');
    // A pin on a tile that went away falls back to the automatic choice.
    expect(speakerLayout(tiles, 'gone:camera', null).main?.key).toBe('ada:screen');
  });

  it('does not overlay a presenter whose camera is off: their avatar stays in the strip', () => {
    const noCamera = tiles.map((t) => (t.key === 'ada:camera' ? { ...t, video: false } : t));
    const layout = speakerLayout(noCamera, null, null);
    expect(layout.overlay).toBeNull();
    expect(keys(layout.strip)).toContain('ada:camera');
  });
});

describe('gallery', () => {
  it('orders the pinned tile, shares, ourselves, then everyone by name', () => {
    const tiles = tilesOf(call({ selfCamera: true }), me);
    expect(keys(galleryOrder(tiles, 'cy:camera'))).toEqual([
      'cy:camera',
      'ada:screen',
      'me:camera',
      'ada:camera',
      'bob:camera',
    ]);
  });

  it('picks the grid that makes the tiles largest', () => {
    expect(bestGrid(1, 1600, 900)).toEqual({ cols: 1, rows: 1 });
    expect(bestGrid(4, 1600, 900)).toEqual({ cols: 2, rows: 2 });
    expect(bestGrid(5, 1040, 660)).toEqual({ cols: 2, rows: 3 });
    expect(bestGrid(3, 2000, 300)).toEqual({ cols: 3, rows: 1 });
    expect(bestGrid(0, 100, 100)).toEqual({ cols: 1, rows: 1 });
  });
});

describe('speaker hysteresis', () => {
  const feed = (events: [number, string | null][], present = () => true): SpeakerTrack =>
    events.reduce<SpeakerTrack>((t, [at, heard]) => trackSpeaker(t, heard, at, present), NO_SPEAKER);

  it('takes the first voice at once and keeps it through silence', () => {
    expect(feed([[0, 'a']]).shown).toBe('a');
    expect(
      feed([
        [0, 'a'],
        [500, null],
        [60_000, null],
      ]).shown,
    ).toBe('a');
  });

  it('does not switch for a short interjection', () => {
    const track = feed([
      [0, 'a'],
      [HOLD_MS + 100, 'b'],
      [HOLD_MS + 100 + SWITCH_AFTER_MS - 200, 'a'],
    ]);
    expect(track.shown).toBe('a');
    expect(track.candidate).toBeNull();
  });

  it('switches once the new voice held the floor long enough, and not before the hold time', () => {
    const early = feed([
      [0, 'a'],
      [100, 'b'],
    ]);
    expect(early.shown).toBe('a');
    expect(decisionAt(early)).toBe(HOLD_MS); // the hold time is the later bound here
    expect(trackSpeaker(early, 'b', HOLD_MS - 1).shown).toBe('a');
    expect(trackSpeaker(early, 'b', HOLD_MS).shown).toBe('b');
    const later = feed([
      [0, 'a'],
      [10_000, 'b'],
    ]);
    expect(decisionAt(later)).toBe(10_000 + SWITCH_AFTER_MS);
    expect(trackSpeaker(later, 'b', 10_000 + SWITCH_AFTER_MS).shown).toBe('b');
  });

  it('moves on at once when the person on stage leaves', () => {
    const track = feed([[0, 'a']]);
    const next = trackSpeaker(track, 'b', 100, (id) => id !== 'a');
    expect(next.shown).toBe('b');
  });
});
