// How Tandem reports what validation found. Every schema of the protocol and the server is a valibot schema
// (valibot's schemas are plain objects built from small functions: ~3 MiB less idle heap than zod's in the
// server, docs/benchmarks.md); callers parse with `v.parse` / `v.safeParse` and name the first problem here.
import type * as v from 'valibot';

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
