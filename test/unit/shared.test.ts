import {
  DEFAULT_LOCKS,
  type DocumentName,
  documentAccess,
  formatDocumentName,
  parseDocumentName,
  type Role,
} from '@tandem/shared';
import { describe, expect, it } from 'vitest';

describe('document names', () => {
  it('round-trips valid names', () => {
    const parsed = parseDocumentName('c_1/code/main-2');
    expect(parsed).toEqual({ ok: true, value: { classId: 'c_1', kind: 'code', key: 'main-2' } });
    if (parsed.ok) expect(formatDocumentName(parsed.value)).toBe('c_1/code/main-2');
  });

  it.each([
    ['c1/code', 'must be <classId>/<kind>/<key>'],
    ['c1/code/a/b', 'must be <classId>/<kind>/<key>'],
    ['c1/pics/a', 'unknown document kind'],
    ['c 1/code/a', 'invalid class id'],
    [`c1/code/${'k'.repeat(65)}`, 'invalid key'],
    ['../code/a', 'invalid class id'],
  ])('refuses %s with a reason', (name, reason) => {
    const parsed = parseDocumentName(name);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('documentAccess', () => {
  const doc = (kind: DocumentName['kind'], key = 'main'): DocumentName => ({ classId: 'c', kind, key });
  const who = (role: Role, userId = 'u') => ({ role, userId, classId: 'c' });

  it('never opens another class', () => {
    expect(
      documentAccess({ role: 'instructor', userId: 'u', classId: 'other' }, doc('code'), DEFAULT_LOCKS),
    ).toBe('none');
  });

  it('follows the table, including locks', () => {
    const locked = { codeLocked: true, boardLocked: true };
    expect(documentAccess(who('student'), doc('code'), DEFAULT_LOCKS)).toBe('write');
    expect(documentAccess(who('student'), doc('code'), locked)).toBe('read');
    expect(documentAccess(who('assistant'), doc('code'), locked)).toBe('write');
    expect(documentAccess(who('observer'), doc('code'), DEFAULT_LOCKS)).toBe('read');
    expect(documentAccess(who('student', 'me'), doc('ws', 'me'), locked)).toBe('write');
    expect(documentAccess(who('student', 'me'), doc('ws', 'you'), DEFAULT_LOCKS)).toBe('none');
    expect(documentAccess(who('observer', 'me'), doc('ws', 'me'), DEFAULT_LOCKS)).toBe('write');
    expect(documentAccess(who('student'), doc('board'), locked)).toBe('read');
    expect(documentAccess(who('observer'), doc('board'), DEFAULT_LOCKS)).toBe('read');
    expect(documentAccess(who('instructor'), doc('chat'), DEFAULT_LOCKS)).toBe('read');
  });

  it("lets a breakout group's token open its own main-class workspace and read the main code, nothing else", () => {
    const inGroup = (role: Role, userId = 'me') => ({ role, userId, classId: 'c--r1g1', rootClassId: 'c' });
    expect(documentAccess(inGroup('student'), doc('ws', 'me'), DEFAULT_LOCKS)).toBe('write');
    expect(documentAccess(inGroup('student'), doc('ws', 'you'), DEFAULT_LOCKS)).toBe('none');
    expect(documentAccess(inGroup('instructor'), doc('ws', 'you'), DEFAULT_LOCKS)).toBe('none');
    expect(documentAccess(inGroup('student'), doc('code'), DEFAULT_LOCKS)).toBe('read');
    expect(documentAccess(inGroup('student'), doc('code', 'pairkey'), DEFAULT_LOCKS)).toBe('none');
    expect(documentAccess(inGroup('student'), doc('board'), DEFAULT_LOCKS)).toBe('none');
    // Without a root, or naming another class as its root: nothing.
    expect(documentAccess({ ...inGroup('student'), rootClassId: 'x' }, doc('ws', 'me'), DEFAULT_LOCKS)).toBe(
      'none',
    );
  });
});
