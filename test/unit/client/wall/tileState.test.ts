// The wall's pure parts: line changes against the starter, the lines around a cursor, a tile's status, and
// sorting and filtering tiles.
import { describe, expect, it } from 'vitest';
import { lineChanges, workspaceChanges } from '../../../../client/src/wall/lineDiff.ts';
import {
  filterTiles,
  mergeTileFacts,
  snippetAround,
  sortTiles,
  type TileFacts,
  tileStatus,
} from '../../../../client/src/wall/tileState.ts';

describe('lineChanges', () => {
  it('counts lines added and removed, a changed line as one of each', () => {
    expect(lineChanges('a\nb\nc', 'a\nb\nc')).toEqual({ added: 0, removed: 0 });
    expect(lineChanges('a\nb\nc', 'a\nX\nc')).toEqual({ added: 1, removed: 1 });
    expect(lineChanges('a\nc', 'a\nb1\nb2\nc')).toEqual({ added: 2, removed: 0 });
    expect(lineChanges('', 'x\ny')).toEqual({ added: 2, removed: 0 });
    expect(lineChanges('x\ny', '')).toEqual({ added: 0, removed: 2 });
    expect(lineChanges('a\nb\nc\nd', 'b\na\nc\nd')).toEqual({ added: 1, removed: 1 });
  });

  it('estimates huge inputs without a quadratic table', () => {
    const big = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
    const edited = big.replace('line 10\n', 'changed\n').replace('line 2990', 'also changed');
    expect(lineChanges(big, edited)).toEqual({ added: 2, removed: 2 });
  });

  it('sums a workspace by file id; new files count whole, missing ones as removed', () => {
    const starter = [
      { id: 'main', content: 'a\nb' },
      { id: 'gone', content: 'x\ny\nz' },
    ];
    const files = [
      { id: 'main', content: 'a\nb\nc' },
      { id: 'new', content: 'n' },
    ];
    expect(workspaceChanges(files, starter)).toEqual({ added: 2, removed: 3 });
  });
});

describe('snippetAround', () => {
  const text = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n');
  it('centres the cursor line, clamped at both ends', () => {
    const offset = text.indexOf('l10');
    expect(snippetAround(text, offset)).toEqual({
      firstLine: 7,
      lines: ['l7', 'l8', 'l9', 'l10', 'l11', 'l12', 'l13'],
      cursorAt: 3,
    });
    expect(snippetAround(text, 0)).toMatchObject({ firstLine: 1, cursorAt: 0 });
    expect(snippetAround(text, text.length)).toMatchObject({ firstLine: 14, cursorAt: 6 });
    expect(snippetAround('one\ntwo', null)).toEqual({ firstLine: 1, lines: ['one', 'two'], cursorAt: -1 });
  });
});

const tile = (over: Partial<TileFacts>): TileFacts => ({
  userId: 'u',
  name: 'U',
  online: true,
  inClass: false,
  idle: false,
  handRaised: false,
  lastEditAt: null,
  changes: null,
  ...over,
});

describe('tiles', () => {
  it('are typing right after an edit, idle or online otherwise, offline without the student', () => {
    expect(tileStatus(tile({ lastEditAt: 9_000 }), 10_000)).toBe('typing');
    expect(tileStatus(tile({ lastEditAt: 1_000 }), 10_000)).toBe('online');
    expect(tileStatus(tile({ idle: true }), 10_000)).toBe('idle');
    expect(tileStatus(tile({ online: false, lastEditAt: 9_000 }), 10_000)).toBe('offline');
    expect(tileStatus(tile({ online: false, inClass: true }), 10_000)).toBe('in-class');
  });

  it('merge what a tile saw with the list and the class presence, so unseen tiles sort and filter', () => {
    const student = { userId: 'r39', name: 'Roster 39' };
    // Never on screen: the list's last edit and "in class" (the server's presence, or the class code's).
    const unseen = mergeTileFacts(student, undefined, { lastEditAt: 500, inClass: false }, true, false);
    expect(unseen).toEqual({
      userId: 'r39',
      name: 'Roster 39',
      online: false,
      inClass: true,
      idle: false,
      handRaised: false,
      lastEditAt: 500,
      changes: null,
    });
    expect(tileStatus(unseen, 1000)).toBe('in-class');
    expect(
      mergeTileFacts(student, undefined, { lastEditAt: null, inClass: true }, false, true),
    ).toMatchObject({ inClass: true, handRaised: true, lastEditAt: null });
    // Seen on screen: the newer of the two edit times; in the workspace counts as in class.
    const seen = tile({ userId: 'r39', online: true, lastEditAt: 900, changes: { added: 2, removed: 0 } });
    expect(mergeTileFacts(student, seen, { lastEditAt: 500, inClass: false }, false, false)).toMatchObject({
      online: true,
      inClass: true,
      lastEditAt: 900,
      changes: { added: 2, removed: 0 },
    });
    expect(mergeTileFacts(student, seen, { lastEditAt: 1200, inClass: false }, false, false).lastEditAt).toBe(
      1200,
    );
    // The online filter keeps the student in class off screen; the last-edit sort places them.
    const away = mergeTileFacts({ userId: 'z', name: 'Zed' }, undefined, undefined, false, false);
    const wall = [away, unseen, tile({ userId: 'a', name: 'Al', lastEditAt: 100 })];
    expect(filterTiles(wall, 'online', '', 1000).map((t) => t.userId)).toEqual(['r39', 'a']);
    expect(sortTiles(wall, 'lastEdit').map((t) => t.userId)).toEqual(['r39', 'a', 'z']);
  });

  it('sort by name, last edit, changes and hands; filter by state and name', () => {
    const tiles = [
      tile({ userId: 'b', name: 'Bo', lastEditAt: 5, changes: { added: 1, removed: 0 } }),
      tile({ userId: 'a', name: 'Al', lastEditAt: 9, online: false }),
      tile({ userId: 'c', name: 'Cy', handRaised: true, changes: { added: 4, removed: 4 } }),
    ];
    const ids = (list: TileFacts[]) => list.map((t) => t.userId);
    expect(ids(sortTiles(tiles, 'name'))).toEqual(['a', 'b', 'c']);
    expect(ids(sortTiles(tiles, 'lastEdit'))).toEqual(['a', 'b', 'c']);
    expect(ids(sortTiles(tiles, 'changes'))).toEqual(['c', 'b', 'a']);
    expect(ids(sortTiles(tiles, 'hands'))).toEqual(['c', 'a', 'b']);
    expect(ids(filterTiles(tiles, 'online', '', 10))).toEqual(['b', 'c']);
    expect(ids(filterTiles(tiles, 'hands', '', 10))).toEqual(['c']);
    expect(ids(filterTiles(tiles, 'stuck', '', 200_000))).toEqual(['b', 'c']);
    expect(ids(filterTiles(tiles, 'all', 'cy', 10))).toEqual(['c']);
  });
});
