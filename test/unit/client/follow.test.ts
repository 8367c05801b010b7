// Following: whom to follow (explicit choice, the class state's "follow me" leader, opting out) and what to
// change.
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

const self = { clientId: 1, userId: 'me' };

describe('pickFollowTarget', () => {
  const ada = peer(2, { id: 'ada', role: 'instructor' }, { file: 'f1' });
  const bob = peer(3, { id: 'bob', role: 'student' }, { file: 'f2' });
  const base = { self, explicit: null, leaderId: null, optedOutOfFollowMe: false };

  it('follows the explicit choice first, even while someone leads', () => {
    expect(pickFollowTarget({ ...base, peers: [ada, bob], explicit: 'bob', leaderId: 'ada' })).toMatchObject({
      reason: 'explicit',
      peer: { user: { id: 'bob' } },
    });
  });

  it('follows the leader of the class state, unless opted out', () => {
    expect(pickFollowTarget({ ...base, peers: [ada, bob], leaderId: 'ada' })).toMatchObject({
      reason: 'followMe',
      peer: { user: { id: 'ada' } },
    });
    expect(
      pickFollowTarget({ ...base, peers: [ada, bob], leaderId: 'ada', optedOutOfFollowMe: true }),
    ).toBeNull();
    expect(pickFollowTarget({ ...base, peers: [ada, bob] })).toBeNull();
  });

  it('ignores a "followMe" flag a peer puts in its presence: only the class state leads', () => {
    const sneaky = peer(4, { id: 'bob', role: 'student' }, { followMe: true });
    expect(pickFollowTarget({ ...base, peers: [sneaky, ada] })).toBeNull();
  });

  it('does not follow ourselves (another tab of ours leading)', () => {
    const myOtherTab = peer(5, { id: 'me', role: 'assistant' }, { file: 'x' });
    expect(pickFollowTarget({ ...base, peers: [myOtherTab], leaderId: 'me' })).toBeNull();
  });

  it('of the leader’s tabs, follows the active one with a file', () => {
    const adaIdleTab = peer(7, { id: 'ada', role: 'instructor' }, { idle: true, file: 'old' });
    const target = pickFollowTarget({ ...base, peers: [adaIdleTab, ada], leaderId: 'ada' });
    expect(target?.peer.clientId).toBe(2);
  });

  it('resumes nothing while the followed person is away', () => {
    expect(pickFollowTarget({ ...base, peers: [ada], explicit: 'gone' })).toBeNull();
    expect(pickFollowTarget({ ...base, peers: [bob], leaderId: 'ada' })).toBeNull();
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
