// Validation pieces shared by the protocol's and the server's schemas, and how Tandem reports what validation
// found. Every schema is a valibot schema (plain objects built from small functions: ~3 MiB less idle heap than
// zod's in the server, docs/benchmarks.md); callers parse with `v.parse` / `v.safeParse` and name the first
// problem with `describeIssues`.
import * as v from 'valibot';

// Default messages in words, for every schema in the process (a schema's own message still wins): valibot's
// defaults read "Invalid length: Expected >=1 but received 0", and the poll composer and API errors show them.
const counted = (input: unknown, n: number) =>
  typeof input === 'string' ? `${n} character${n === 1 ? '' : 's'}` : `${n} item${n === 1 ? '' : 's'}`;
v.setSpecificMessage(v.minLength, (issue) =>
  issue.requirement === 1
    ? 'must not be empty'
    : `must have at least ${counted(issue.input, issue.requirement)}`,
);
v.setSpecificMessage(v.maxLength, (issue) => `must have at most ${counted(issue.input, issue.requirement)}`);
v.setSpecificMessage(v.minValue, (issue) => `must be at least ${String(issue.requirement)}`);
v.setSpecificMessage(v.maxValue, (issue) => `must be at most ${String(issue.requirement)}`);
v.setSpecificMessage(v.gtValue, (issue) => `must be more than ${String(issue.requirement)}`);
v.setSpecificMessage(v.safeInteger, () => 'must be a whole number');
v.setSpecificMessage(v.finite, () => 'must be a finite number');
v.setSpecificMessage(v.toNumber, () => 'must be a number');
v.setSpecificMessage(v.picklist, (issue) => `must be one of ${issue.expected.replace(/^\((.*)\)$/, '$1')}`);
v.setSpecificMessage(v.strictObject, (issue) =>
  issue.expected === 'never' ? 'is not a known field' : `must be an object, not ${issue.received}`,
);

/**
 * Put first in the pipe of an object schema whose keys are all optional: valibot's object schemas take an array
 * as an object (`[]` reads as `{}`), where zod refused it.
 */
export const notArray = v.check((input: unknown) => !Array.isArray(input), 'must be an object, not an array');

/** A query or path parameter as a number: `Number(input)` (so `''` reads as 0), refused when NaN or infinite. */
export const queryNumber = v.pipe(v.unknown(), v.toNumber(), v.finite());

/** A query or path parameter as a safe integer, read as `queryNumber` reads it. */
export const queryInt = v.pipe(queryNumber, v.safeInteger());

/**
 * An RFC 3339 date and time: a real calendar day (February 29 in leap years only), `T`, seconds with any
 * fraction after a `.`, then `Z` or a `+hh:mm` offset, e.g. `2025-01-31T09:00:00.000Z`. Spelled out because
 * valibot's `isoTimestamp` is looser (a space for the `T`, `z`, `,` fractions, `+hh` and `+hhmm` offsets, days
 * like 02-30).
 */
const ISO_DATETIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|(?:[+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;
export const isoDateTimeSchema = v.pipe(v.string(), v.regex(ISO_DATETIME, 'Invalid ISO datetime'));

/** The first problem of a failed parse: the keys of its path (empty at the root) and its message. */
export interface FirstIssue {
  path: PropertyKey[];
  message: string;
}

export function firstIssue(issues: readonly v.BaseIssue<unknown>[]): FirstIssue {
  const issue = issues[0];
  if (!issue) return { path: [], message: 'invalid input' };
  const path = (issue.path ?? []).map((item) => item.key as PropertyKey);
  return { path, message: issue.message };
}

/** `a.b.0: message`, or the message alone when the problem is the value itself. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], root?: string): string {
  const { path, message } = firstIssue(issues);
  const where = path.length ? path.map(String).join('.') : root;
  return where ? `${where}: ${message}` : message;
}
