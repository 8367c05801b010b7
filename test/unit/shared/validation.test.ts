// The validation pieces shared by the protocol's and the server's schemas (shared/src/validation.ts).
import {
  breakoutTokenBodySchema,
  describeIssues,
  firstIssue,
  isoDateTimeSchema,
  mediaRequestSchema,
  patchClassBodySchema,
  queryInt,
  queryNumber,
} from '@tandem/shared';
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

describe('default messages in words', () => {
  const problem = (schema: v.GenericSchema, input: unknown) => {
    const result = v.safeParse(schema, input);
    return result.success ? null : describeIssues(result.issues);
  };

  it('say what a value must be', () => {
    const name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(3));
    expect(problem(name, '  ')).toBe('must not be empty');
    expect(problem(name, 'abcd')).toBe('must have at most 3 characters');
    expect(problem(v.pipe(v.array(v.string()), v.minLength(2)), ['a'])).toBe('must have at least 2 items');
    expect(problem(v.pipe(v.number(), v.minValue(0), v.maxValue(10)), 11)).toBe('must be at most 10');
    expect(problem(v.pipe(v.number(), v.gtValue(0)), 0)).toBe('must be more than 0');
    expect(problem(queryInt, '1.5')).toBe('must be a whole number');
    expect(problem(queryInt, 'ten')).toBe('must be a number');
    expect(problem(v.picklist(['light', 'dark']), 'blue')).toBe('must be one of "light" | "dark"');
  });

  it("name a field a strict object does not know, and keep a schema's own message", () => {
    expect(problem(v.strictObject({ a: v.optional(v.string()) }), { a: 'x', extra: 1 })).toBe(
      'extra: is not a known field',
    );
    expect(problem(v.pipe(v.string(), v.minLength(1, 'say something')), '')).toBe('say something');
  });
});

describe('objects whose keys are all optional', () => {
  it('refuse an array, which valibot would otherwise read as an empty object', () => {
    for (const schema of [patchClassBodySchema, breakoutTokenBodySchema]) {
      const result = v.safeParse(schema, []);
      expect(result.success).toBe(false);
      if (!result.success) expect(describeIssues(result.issues)).toBe('must be an object, not an array');
      expect(v.safeParse(schema, {}).success).toBe(true);
    }
    expect(v.safeParse(mediaRequestSchema, { id: 1, method: 'ping', data: [] }).success).toBe(false);
    expect(v.safeParse(mediaRequestSchema, { id: 1, method: 'muteAll', data: [] }).success).toBe(false);
    expect(v.safeParse(mediaRequestSchema, { id: 1, method: 'ping' }).success).toBe(true);
  });
});
