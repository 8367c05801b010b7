import { describe, expect, it } from 'vitest';
import { Admission } from '../../../server/src/net/Admission.ts';

const limits = {
  maxSocketsPerAddress: 2,
  maxSocketsPerUser: 1,
  addressMessagesPerSec: 1,
  addressBurst: 5,
  userMessagesPerSec: 1,
  userBurst: 3,
};

describe('Admission', () => {
  it('caps sockets per address and frees slots on release (once)', () => {
    let refused = 0;
    const admission = new Admission(
      limits,
      () => refused++,
      () => 0,
    );
    const a = admission.admit('1.1.1.1');
    admission.admit('1.1.1.1');
    expect(() => admission.admit('1.1.1.1')).toThrow(/too many connections from your address/);
    expect(refused).toBe(1);
    admission.admit('2.2.2.2');
    a.release();
    a.release();
    expect(admission.socketsFrom('1.1.1.1')).toBe(1);
    admission.admit('1.1.1.1');
  });

  it('caps sockets per user; claiming the same user twice is one claim', () => {
    const admission = new Admission(limits, undefined, () => 0);
    const a = admission.admit('1.1.1.1');
    a.claimUser('c:u');
    a.claimUser('c:u');
    const b = admission.admit('2.2.2.2');
    expect(() => b.claimUser('c:u')).toThrow(/too many connections for this user/);
    a.release();
    b.claimUser('c:u');
  });

  it('shares message budgets across sockets of one address and of one user', () => {
    const admission = new Admission({ ...limits, maxSocketsPerUser: 5 }, undefined, () => 0);
    const a = admission.admit('1.1.1.1');
    const b = admission.admit('3.3.3.3');
    a.claimUser('c:u');
    b.claimUser('c:u');
    // The user's burst of 3 is shared by both sockets.
    expect([a.takeMessage(), b.takeMessage(), a.takeMessage(), b.takeMessage()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const c = admission.admit('1.1.1.1');
    // The address had 5 and a took 2 of them: c, from the same address, gets the other 3.
    expect([c.takeMessage(), c.takeMessage(), c.takeMessage(), c.takeMessage()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
