import { describe, expect, it } from 'vitest';
import { PresenceTracker } from '../../../server/src/classroom/PresenceTracker.ts';

const ana = { id: 'ana', name: 'Ana', role: 'student' as const };

describe('PresenceTracker', () => {
  it('merges devices: joins with the first, leaves with the last', () => {
    const t = new PresenceTracker(
      (c) => c.split('--')[0]!,
      () => 1,
    );
    const changes: string[] = [];
    t.onChange((c) => changes.push(`${c.type} ${c.rootClassId} ${c.person.id}`));
    t.add('c', ana);
    t.add('c', ana);
    t.add('c--r1g1', ana);
    t.remove('c', 'ana');
    t.remove('c--r1g1', 'ana');
    expect(t.isPresent('c', 'ana')).toBe(true);
    t.remove('c', 'ana');
    expect(changes).toEqual(['joined c ana', 'left c ana']);
    expect(t.present('c')).toEqual([]);
  });

  it('ignores a leave it never saw a join for', () => {
    const t = new PresenceTracker((c) => c);
    t.add('c', ana);
    t.remove('other', 'ana');
    t.remove('c', 'li');
    expect(t.isPresent('c', 'ana')).toBe(true);
  });

  it('counts a leave only against a device of that person in that very class', () => {
    const li = { id: 'li', name: 'Li', role: 'student' as const };
    const t = new PresenceTracker((c) => c.split('--')[0]!);
    const changes: string[] = [];
    t.onChange((c) => changes.push(`${c.type} ${c.person.id}`));
    t.add('c', ana);
    t.add('c--r1g1', li);
    t.remove('c--r1g1', 'ana'); // Ana has no device in the group: ignored
    expect(t.isPresent('c', 'ana')).toBe(true);
    t.remove('c--r1g1', 'li');
    t.add('c--r1g1', ana);
    t.remove('c', 'ana');
    expect(t.isPresent('c', 'ana')).toBe(true);
    t.remove('c--r1g1', 'ana');
    expect(t.present('c')).toEqual([]);
    expect(changes).toEqual(['joined ana', 'joined li', 'left li', 'left ana']);
  });

  it('keeps the root a class had at join time, even if the mapping changes', () => {
    let root = 'c';
    const t = new PresenceTracker(() => root);
    t.add('x', ana);
    root = 'elsewhere';
    t.remove('x', 'ana');
    expect(t.isPresent('c', 'ana')).toBe(false);
  });
});
