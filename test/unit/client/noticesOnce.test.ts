// Each class notice is passed on and toasted once, however many connections bring it (the code and the
// board document both carry a class's notices, and the one listened to can change under a page).
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../../client/src/classroom/recentIds.ts';
import { type Toast, withToast } from '../../../client/src/classroom/Toasts.tsx';

const toast = (id: string): Toast => ({
  id,
  kind: 'info',
  title: 'On stage',
  text: `${id} brought everyone`,
});

describe('notices once', () => {
  it('remembers the ids it was given, up to its limit, forgetting the oldest first', () => {
    const ids = new RecentIds(2);
    expect(ids.add('a')).toBe(true);
    expect(ids.add('a')).toBe(false);
    expect(ids.add('b')).toBe(true);
    expect(ids.add('c')).toBe(true);
    expect(ids.add('b')).toBe(false);
    expect(ids.add('a')).toBe(true);
  });

  it('shows a toast once when its notice arrives twice, and keeps the newest five', () => {
    let shown = withToast([], toast('n1'));
    const again = withToast(shown, toast('n1'));
    expect(again).toBe(shown);
    for (const id of ['n2', 'n3', 'n4', 'n5', 'n6']) shown = withToast(shown, toast(id));
    expect(shown.map((t) => t.id)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
  });
});
