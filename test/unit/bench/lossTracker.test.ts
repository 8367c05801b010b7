// The media benchmark's loss counter: loss from sequence numbers over a window, across the 16-bit wrap,
// with duplicates (retransmissions) counted once and late packets still counted.
import { describe, expect, it } from 'vitest';
import { LossTracker } from '../../../bench/media/lossTracker.ts';

const feed = (t: LossTracker, seqs: number[]) => {
  for (const s of seqs) t.add(s & 0xffff);
};

describe('LossTracker', () => {
  it('counts expected and received packets since the window mark, across the wrap', () => {
    const t = new LossTracker();
    feed(t, [65530, 65531]);
    t.markWindow();
    feed(t, [65532, 65533, 65535, 0, 1, 3]); // 65534 and 2 lost
    expect(t.window()).toEqual({ expected: 8, received: 6 });
  });

  it('counts a retransmitted duplicate once, so loss never goes negative', () => {
    const t = new LossTracker();
    feed(t, [100]);
    t.markWindow();
    feed(t, [101, 102, 103, 102, 103, 104]);
    expect(t.window()).toEqual({ expected: 4, received: 4 });
    expect(t.received).toBe(7);
  });

  it('counts a late, reordered packet that fills a hole', () => {
    const t = new LossTracker();
    feed(t, [10]);
    t.markWindow();
    feed(t, [11, 13, 14, 12]);
    expect(t.window()).toEqual({ expected: 4, received: 4 });
  });

  it('reports nothing before the first mark or the first packet', () => {
    const t = new LossTracker();
    t.markWindow();
    expect(t.window()).toEqual({ expected: 0, received: 0 });
    feed(t, [1, 2]);
    expect(t.window()).toEqual({ expected: 0, received: 0 });
  });
});
