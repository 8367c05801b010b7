import { describe, expect, it } from 'vitest';
import { MAX_KEPT, REPEAT_WINDOW_MS, RecentSends } from '../../../server/src/classroom/RecentSends.ts';

describe('RecentSends', () => {
  it('gives a repeat the first result within the window, and creates anew after it', async () => {
    let now = 0;
    const sends = new RecentSends<number>(() => now);
    let created = 0;
    const create = async () => ++created;
    expect(await sends.once('a', create)).toBe(1);
    now += REPEAT_WINDOW_MS - 1;
    expect(await sends.once('a', create)).toBe(1);
    expect(await sends.once('b', create)).toBe(2);
    now += 1;
    expect(await sends.once('a', create)).toBe(3);
  });

  it('forgets a failed send at once, so its repeat tries again', async () => {
    const sends = new RecentSends<string>();
    await expect(sends.once('a', () => Promise.reject(new Error('storage down')))).rejects.toThrow();
    expect(await sends.once('a', async () => 'posted')).toBe('posted');
  });

  it(`keeps at most ${MAX_KEPT} results, dropping the oldest`, async () => {
    const sends = new RecentSends<number>(() => 0);
    for (let i = 0; i < MAX_KEPT + 5; i++) await sends.once(`k${i}`, async () => i);
    expect(sends.size).toBeLessThanOrEqual(MAX_KEPT);
    expect(await sends.once('k0', async () => -1)).toBe(-1);
    expect(await sends.once(`k${MAX_KEPT + 4}`, async () => -1)).toBe(MAX_KEPT + 4);
  });
});
