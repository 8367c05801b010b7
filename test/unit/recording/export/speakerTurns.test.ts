// Picking the export's active speaker from microphone levels: the loudest voice above the speech threshold,
// a new speaker only after MIN_TURN_MS (pauses inside a turn allowed), switches dated back to the turn's start.
import { describe, expect, it } from 'vitest';
import { type LevelSample, speakerTurns } from '../../../../server/src/recording/export/speakerTurns.ts';

const SILENT = Number.NEGATIVE_INFINITY;
/** One sample per second from a string: 'x' loud (-20 dB), 'q' quiet but speech (-40), '.' silence. */
const levels = (pattern: string): LevelSample[] =>
  [...pattern].map((c, i) => ({ atMs: i * 1000, db: c === 'x' ? -20 : c === 'q' ? -40 : SILENT }));

describe('speakerTurns', () => {
  it('follows one speaker then the other, switching when the second started', () => {
    const turns = speakerTurns(
      new Map([
        ['ana', levels('xxxxxx......')],
        ['ben', levels('......xxxxxx')],
      ]),
      12_000,
    );
    expect(turns).toEqual([
      { userId: 'ana', startMs: 0, endMs: 6000 },
      { userId: 'ben', startMs: 6000, endMs: 12_000 },
    ]);
  });

  it('keeps the speaker through a short interjection and through silence', () => {
    const turns = speakerTurns(
      new Map([
        ['ana', levels('xxxx....xxxxxx')],
        ['ben', levels('....xx........')],
      ]),
      14_000,
    );
    expect(turns).toEqual([{ userId: 'ana', startMs: 0, endMs: 14_000 }]);
  });

  it('counts a turn with short pauses in it, and prefers the louder of two voices', () => {
    const paused = speakerTurns(
      new Map([
        ['ana', levels('xxx.........')],
        ['ben', levels('...xx.xx....')],
      ]),
      12_000,
    );
    expect(paused).toEqual([
      { userId: 'ana', startMs: 0, endMs: 3000 },
      { userId: 'ben', startMs: 3000, endMs: 12_000 },
    ]);
    const louder = speakerTurns(
      new Map([
        ['ana', levels('xxqqqqqqqqqq')],
        ['ben', levels('..xxxx......')],
      ]),
      12_000,
    );
    expect(louder).toEqual([
      { userId: 'ana', startMs: 0, endMs: 2000 },
      { userId: 'ben', startMs: 2000, endMs: 6000 },
      { userId: 'ana', startMs: 6000, endMs: 12_000 },
    ]);
  });

  it('starts with the first voice heard, from the beginning, and has no turns when nobody spoke', () => {
    expect(speakerTurns(new Map([['ana', levels('...x........')]]), 12_000)).toEqual([
      { userId: 'ana', startMs: 0, endMs: 12_000 },
    ]);
    expect(speakerTurns(new Map([['ana', levels('............')]]), 12_000)).toEqual([]);
    expect(speakerTurns(new Map(), 12_000)).toEqual([]);
  });
});
