// RouterSet placement against real mediasoup workers (no server): viewers fill the first Router up to the
// threshold, then each worker gets one more Router, concurrent viewers share a Router being created rather
// than create one each, and once every worker serves the call viewers go to the least loaded Router.
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_CODECS } from '../../../server/src/media/codecs.ts';
import { RouterSet } from '../../../server/src/media/RouterSet.ts';
import type { WorkerSlot } from '../../../server/src/media/WorkerPool.ts';

const log = pino({ level: 'silent' });
let slots: WorkerSlot[] = [];
const sets: RouterSet[] = [];

/** Picks like WorkerPool.pickExcept: the least loaded live slot not in use by the call. */
const picker = {
  pickExcept(used: ReadonlySet<WorkerSlot>): WorkerSlot | undefined {
    return slots.filter((s) => !used.has(s) && !s.worker.closed).sort((a, b) => a.load - b.load)[0];
  },
};

async function routerSet(viewersPerRouter: number, onViewerLost = (_: string) => {}): Promise<RouterSet> {
  const slot = slots[0]!;
  const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
  const set = new RouterSet({
    primary: { router, slot },
    picker,
    viewersPerRouter,
    appData: { classId: 'set' },
    log,
    onViewerLost,
  });
  sets.push(set);
  return set;
}

beforeAll(async () => {
  const workers: ms.Worker[] = await Promise.all(
    [0, 1, 2].map(() => mediasoup.createWorker({ logLevel: 'error' })),
  );
  slots = workers.map((worker, index) => ({ index, worker, webRtcServer: undefined as never, load: 0 }));
});
afterEach(() => {
  for (const set of sets.splice(0)) set.close();
  for (const slot of slots) slot.load = 0;
});
afterAll(() => {
  for (const slot of slots) slot.worker.close();
});

describe('RouterSet placement', () => {
  it('fills the first Router, then spreads one Router per worker; concurrent viewers share a new Router', async () => {
    const set = await routerSet(2);
    const first = await set.placeViewer('a');
    expect(await set.placeViewer('b')).toBe(first);
    expect(first).toBe(set.primary);

    // Four viewers at once past a full Router: two more Routers (one per other worker), not four.
    const placed = await Promise.all(['c', 'd', 'e', 'f'].map((id) => set.placeViewer(id)));
    const routers = set.routers();
    expect(routers).toHaveLength(3);
    expect(new Set(routers.map((r) => r.slot.worker.pid)).size).toBe(3);
    expect(new Set(placed.map((p) => p.router.id)).size).toBe(2);
    expect(routers.map((r) => r.viewers.size)).toEqual([2, 2, 2]);
    // Viewers on the other workers count in those workers' load (the pool's pick for new classes).
    expect(routers.slice(1).map((r) => r.slot.load)).toEqual([2, 2]);

    // Every worker serves the call: the next viewer goes to the least loaded Router, above the threshold.
    set.release('e');
    expect(set.routerOf('e')).toBe(set.primary);
    const back = await set.placeViewer('g');
    expect(back.viewers.size).toBe(2);
    expect(await set.placeViewer('h')).toBe(set.primary);
    expect(set.routers()).toHaveLength(3);

    for (const id of ['c', 'd', 'f', 'g']) set.release(id);
    set.release('g');
    expect(routers.slice(1).map((r) => r.slot.load)).toEqual([0, 0]);
  });

  it('a call that cannot grow (no other live worker) places above the threshold on its Router', async () => {
    const set = await routerSet(1);
    const saved = slots;
    slots = [saved[0]!];
    try {
      await set.placeViewer('a');
      expect(await set.placeViewer('b')).toBe(set.primary);
      expect(set.primary.viewers.size).toBe(2);
      expect(set.routers()).toHaveLength(1);
    } finally {
      slots = saved;
    }
  });

  it('close() closes every Router and refuses new viewers', async () => {
    const set = await routerSet(1);
    await set.placeViewer('a');
    const spread = await set.placeViewer('b');
    expect(spread).not.toBe(set.primary);
    set.close();
    expect(set.primary.router.closed && spread.router.closed).toBe(true);
    await expect(set.placeViewer('c')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
