// Following: whom to follow (explicit choice, a staff member's "follow me", opting out) and what to change.
import { describe, expect, it } from 'vitest';
import { followStep, pickFollowTarget } from '../../../client/src/presence/follow.ts';
import { type Peer, readPeer } from '../../../client/src/presence/peerState.ts';

function peer(
  clientId: number,
  user: { id: string; role: Peer['user']['role'] },
  extra: Record<string, unknown> = {},
): Peer {
  const p = readPeer(clientId, { user: { ...user, name: user.id }, ...extra }, 1);
  if (!p) throw new Error('bad peer');
  return p;
}

const self = { clientId: 1, userId: 'me', role: 'student' as const };

describe('pickFollowTarget', () => {
  const ada = peer(2, { id: 'ada', role: 'instructor' }, { followMe: true, file: 'f1' });
  const bob = peer(3, { id: 'bob', role: 'student' }, { file: 'f2' });

  it('follows the explicit choice first', () => {
    expect(
      pickFollowTarget({ peers: [ada, bob], self, explicit: 'bob', optedOutOfFollowMe: false }),
    ).toMatchObject({
      reason: 'explicit',
      peer: { user: { id: 'bob' } },
    });
  });

  it('follows a staff member who asked everyone to follow, unless opted out', () => {
    expect(
      pickFollowTarget({ peers: [ada, bob], self, explicit: null, optedOutOfFollowMe: false }),
    ).toMatchObject({
      reason: 'followMe',
      peer: { user: { id: 'ada' } },
    });
    expect(
      pickFollowTarget({ peers: [ada, bob], self, explicit: null, optedOutOfFollowMe: true }),
    ).toBeNull();
  });

  it('ignores "follow me" claimed by a student and our own other tabs', () => {
    const sneaky = peer(4, { id: 'bob', role: 'student' }, { followMe: true });
    const myOtherTab = peer(5, { id: 'me', role: 'assistant' }, { followMe: true });
    expect(
      pickFollowTarget({ peers: [sneaky, myOtherTab], self, explicit: null, optedOutOfFollowMe: false }),
    ).toBeNull();
  });

  it('prefers an instructor over an assistant, and of one person’s tabs the active one with a file', () => {
    const assistant = peer(6, { id: 'asst', role: 'assistant' }, { followMe: true, file: 'x' });
    const adaIdleTab = peer(
      7,
      { id: 'ada', role: 'instructor' },
      { followMe: true, idle: true, file: 'old' },
    );
    const target = pickFollowTarget({
      peers: [assistant, adaIdleTab, ada],
      self,
      explicit: null,
      optedOutOfFollowMe: false,
    });
    expect(target?.peer.clientId).toBe(2);
  });

  it('resumes nothing while the followed person is away', () => {
    expect(pickFollowTarget({ peers: [ada], self, explicit: 'gone', optedOutOfFollowMe: false })).toBeNull();
  });
});

describe('followStep', () => {
  it('opens the leader’s file and then their scroll position', () => {
    const leader = peer(2, { id: 'ada', role: 'instructor' }, { file: 'f2', scroll: { top: 300, line: 15 } });
    expect(followStep(leader, { fileId: 'f1', scrollTop: 0 })).toEqual({ openFile: 'f2', scrollTop: 300 });
    expect(followStep(leader, { fileId: 'f2', scrollTop: 298 })).toEqual({ openFile: null, scrollTop: null });
    expect(followStep(leader, { fileId: 'f2', scrollTop: 100 })).toEqual({ openFile: null, scrollTop: 300 });
  });
});
