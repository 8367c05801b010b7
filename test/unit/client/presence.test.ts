// Reading peers from awareness (only server-vouched identity; everything else checked) and the people list.
import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { colorFor, initialsOf, PALETTE } from '../../../client/src/presence/colors.ts';
import { groupPeople, placeOf, readPeer } from '../../../client/src/presence/peerState.ts';
import { renewPresence } from '../../../client/src/presence/renewPresence.ts';

describe('readPeer', () => {
  it('skips states without a server-set identity', () => {
    expect(readPeer(2, { file: 'x' }, 1)).toBeNull();
    expect(readPeer(2, { user: { id: 'a', name: 'A', role: 'king' } }, 1)).toBeNull();
  });

  it('takes the colour from the user id, not from what the peer claims, and sanitises fields', () => {
    const peer = readPeer(
      2,
      {
        user: { id: 'ada', name: 'Ada', role: 'student' },
        color: 'red; x',
        file: 7,
        scroll: { top: 'a' },
        media: { mic: 'yes' },
      },
      1,
    );
    expect(peer).toMatchObject({
      color: colorFor('ada'),
      file: null,
      scroll: null,
      media: { mic: false, cam: false, screen: false },
    });
    expect(PALETTE).toContain(peer?.color);
  });

  it('marks our own client', () => {
    expect(readPeer(1, { user: { id: 'me', name: 'Me', role: 'observer' } }, 1)?.isSelf).toBe(true);
  });
});

describe('groupPeople', () => {
  it('shows one row per person (several tabs merged), staff first, idle only if every tab is', () => {
    const peers = [
      readPeer(3, { user: { id: 'bob', name: 'Bob', role: 'student' }, idle: true, file: 'a' }, 1),
      readPeer(
        4,
        { user: { id: 'bob', name: 'Bob', role: 'student' }, idle: false, file: 'b', media: { mic: true } },
        1,
      ),
      readPeer(5, { user: { id: 'ada', name: 'Ada', role: 'instructor' }, idle: true }, 1),
    ].filter((p) => p !== null);
    const people = groupPeople(peers);
    expect(people.map((p) => p.user.id)).toEqual(['ada', 'bob']);
    expect(people[1]).toMatchObject({
      idle: false,
      files: ['a', 'b'],
      media: { mic: true },
      clients: [3, 4],
    });
    expect(people[0]?.idle).toBe(true);
  });

  it('says where each tab is: its file, the whiteboard or the stage, without repeats', () => {
    const user = { id: 'bob', name: 'Bob', role: 'student' };
    const peers = [
      readPeer(3, { user, file: 'a', view: 'editor' }, 1),
      readPeer(4, { user, file: 'a', view: 'board' }, 1),
      readPeer(5, { user, file: 'a' }, 1),
      readPeer(6, { user, view: 'video' }, 1),
      readPeer(7, { user, view: 'board' }, 1),
      readPeer(8, { user, view: '<script>' }, 1),
    ].filter((p) => p !== null);
    expect(groupPeople(peers)[0]?.places).toEqual([
      { kind: 'file', fileId: 'a' },
      { kind: 'board' },
      { kind: 'stage' },
    ]);
    expect(placeOf({ view: null, file: null })).toBeNull();
  });

  it('makes initials from names', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL');
    expect(initialsOf('Linus (student)')).toBe('L');
    expect(initialsOf('  ')).toBe('?');
  });
});

describe('renewPresence', () => {
  it('sends our state again under the next clock, and nothing when we have none', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState({ file: 'main.py' });
    const clock = awareness.meta.get(awareness.clientID)!.clock;
    const sent: number[][] = [];
    awareness.on('update', ({ updated }: { updated: number[] }) => sent.push(updated));
    renewPresence(awareness);
    expect(awareness.meta.get(awareness.clientID)!.clock).toBe(clock + 1);
    expect(sent).toEqual([[awareness.clientID]]);
    awareness.setLocalState(null);
    sent.length = 0;
    renewPresence(awareness);
    expect(sent).toEqual([]);
    renewPresence(null);
  });
});
