// How far a text is from its starter, in lines added and removed: a longest-common-subsequence line diff
// after trimming the common head and tail (small exercise files; a size cap keeps big ones cheap).

export interface LineChanges {
  added: number;
  removed: number;
}

/** Above this many line pairs (after trimming) the count is estimated from line multisets instead. */
const MAX_LCS_CELLS = 1_000_000;

export function lineChanges(before: string, after: string): LineChanges {
  if (before === after) return { added: 0, removed: 0 };
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const common = midA.length * midB.length > MAX_LCS_CELLS ? multisetCommon(midA, midB) : lcs(midA, midB);
  return { added: midB.length - common, removed: midA.length - common };
}

function lcs(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++)
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

function multisetCommon(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
  let common = 0;
  for (const line of b) {
    const n = counts.get(line) ?? 0;
    if (n > 0) {
      common++;
      counts.set(line, n - 1);
    }
  }
  return common;
}

/** Changes across a workspace's files against the starter's (matched by file id; new files count whole). */
export function workspaceChanges(
  files: readonly { id: string; content: string }[],
  starter: readonly { id: string; content: string }[],
): LineChanges {
  const given = new Map(starter.map((f) => [f.id, f.content]));
  const total = { added: 0, removed: 0 };
  const seen = new Set<string>();
  for (const file of files) {
    seen.add(file.id);
    const c = lineChanges(given.get(file.id) ?? '', file.content);
    total.added += c.added;
    total.removed += c.removed;
  }
  for (const [id, content] of given) {
    if (!seen.has(id)) total.removed += lineChanges(content, '').removed;
  }
  return total;
}
