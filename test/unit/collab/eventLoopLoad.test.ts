// The load signal that turns write coalescing's flush window on and off (server/src/collab/coalescedWrites.ts):
// busy once the event loop is mostly used, quiet again only well below that.
import { describe, expect, it } from 'vitest';
import { eventLoopLoad } from '../../../server/src/collab/coalescedWrites.ts';

/** Keeps the event loop busy for `ms`, in one block. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('eventLoopLoad', () => {
  it('reads busy after a stretch of full use and quiet again after an idle one', async () => {
    const busy = eventLoopLoad();
    expect(busy()).toBe(false);
    spin(300);
    expect(busy()).toBe(true);
    // Within a sample period the answer holds.
    expect(busy()).toBe(true);
    await idle(400);
    expect(busy()).toBe(false);
  });
});
