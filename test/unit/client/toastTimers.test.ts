// A toast goes after its own time, counted from when it was first shown, whatever other toasts do meanwhile.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type TimedToast, TOAST_TIMEOUT_MS, ToastTimers } from '../../../client/src/classroom/toastTimers.ts';

const info = (id: string): TimedToast => ({ id, kind: 'info' });

describe('toast timers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does not start a toast’s time again when others arrive or go', () => {
    const expired: string[] = [];
    const timers = new ToastTimers((id) => expired.push(id));
    timers.sync([info('a')]);
    vi.advanceTimersByTime(TOAST_TIMEOUT_MS.info - 1_000);
    timers.sync([info('a'), info('b')]);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual(['a']);
    timers.sync([info('b')]);
    vi.advanceTimersByTime(TOAST_TIMEOUT_MS.info - 1_000);
    expect(expired).toEqual(['a', 'b']);
  });

  it('gives an announcement longer, and forgets a toast dismissed before its time', () => {
    const expired: string[] = [];
    const timers = new ToastTimers((id) => expired.push(id));
    timers.sync([{ id: 'news', kind: 'announcement' }, info('gone')]);
    timers.sync([{ id: 'news', kind: 'announcement' }]);
    vi.advanceTimersByTime(TOAST_TIMEOUT_MS.info);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(TOAST_TIMEOUT_MS.announcement - TOAST_TIMEOUT_MS.info);
    expect(expired).toEqual(['news']);
    timers.sync([info('late')]);
    timers.stop();
    vi.advanceTimersByTime(TOAST_TIMEOUT_MS.announcement);
    expect(expired).toEqual(['news']);
  });
});
