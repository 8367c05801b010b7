// Remote cursor labels: where a name goes, so it never covers code.
import { describe, expect, it } from 'vitest';
import { labelAnchor, labelMargins } from '../../../client/src/editor/remoteCursors.ts';

describe('remote cursor labels', () => {
  it('go after the last character of the caret’s line', () => {
    expect(labelAnchor({ lineNumber: 7, column: 3 }, 21)).toEqual({ lineNumber: 7, column: 21 });
    expect(labelAnchor({ lineNumber: 7, column: 21 }, 21)).toEqual({ lineNumber: 7, column: 21 });
    expect(labelAnchor({ lineNumber: 2, column: 1 }, 1)).toEqual({ lineNumber: 2, column: 1 }); // empty line
  });

  it('sit side by side when several people are on one line', () => {
    const [first, second, third] = labelMargins(['Ada', 'Grace Hopper', 'Li']);
    expect(first).toBe(14);
    expect(second).toBeGreaterThan(first! + 3 * 6);
    expect(third).toBeGreaterThan(second! + 'Grace Hopper'.length * 6);
  });
});
