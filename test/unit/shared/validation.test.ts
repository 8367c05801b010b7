// The validation pieces shared by the protocol's and the server's schemas (shared/src/validation.ts).
import { describeIssues, firstIssue, isoDateTimeSchema, queryInt, queryNumber } from '@tandem/shared';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';

describe('query parameters as numbers', () => {
  it('reads text with Number(), so an empty parameter is 0', () => {
    expect(v.parse(queryNumber, '2.5')).toBe(2.5);
    expect(v.parse(queryInt, '42')).toBe(42);
    expect(v.parse(queryInt, '')).toBe(0);
  });

  it.each(['abc', 'Infinity', '-Infinity', '1e400'])('refuses %j as a number', (text) => {
    expect(v.safeParse(queryNumber, text).success).toBe(false);
  });

  it.each(['1.5', '9007199254740993'])('refuses %j as an integer', (text) => {
    expect(v.safeParse(queryInt, text).success).toBe(false);
  });
});

describe('ISO date and time', () => {
  it.each(['2024-02-29T10:00:00Z', '2025-01-31T09:00:00.123Z', '2025-06-01T23:59:59+02:00'])(
    'accepts %s',
    (t) => {
      expect(v.parse(isoDateTimeSchema, t)).toBe(t);
    },
  );

  it.each([
    '2023-02-29T10:00:00Z',
    '2025-02-30T10:00:00Z',
    '2025-01-31 09:00:00Z',
    '2025-01-31T09:00Z',
    '2025-01-31T09:00:00+0200',
    '2025-01-31T09:00:00z',
  ])('refuses %s, with a message that says so', (t) => {
    const result = v.safeParse(isoDateTimeSchema, t);
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.issues)).toBe('Invalid ISO datetime');
  });
});

describe('issue reports', () => {
  const schema = v.object({
    rows: v.array(v.object({ name: v.pipe(v.string(), v.minLength(1, 'is empty')) })),
  });

  it('names the first problem by its path', () => {
    const result = v.safeParse(schema, { rows: [{ name: 'a' }, { name: '' }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(firstIssue(result.issues)).toEqual({ path: ['rows', 1, 'name'], message: 'is empty' });
    expect(describeIssues(result.issues)).toBe('rows.1.name: is empty');
  });

  it('gives the message alone, or after the given root, for a problem with the value itself', () => {
    const result = v.safeParse(v.pipe(v.string(), v.minLength(1, 'is empty')), '');
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(describeIssues(result.issues)).toBe('is empty');
    expect(describeIssues(result.issues, 'message')).toBe('message: is empty');
  });
});
