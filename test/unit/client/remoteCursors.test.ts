// Remote cursor labels: which side of the caret a name goes, so it never covers the line the reader is on.
import { describe, expect, it } from 'vitest';
import { labelSide } from '../../../client/src/editor/remoteCursors.ts';

describe('remote cursor labels', () => {
  it('sit above the caret, or below it when the reader is on the line above', () => {
    expect(labelSide(10, null)).toBe('above');
    expect(labelSide(10, 10)).toBe('above');
    expect(labelSide(10, 11)).toBe('above');
    expect(labelSide(10, 9)).toBe('below');
    expect(labelSide(1, null)).toBe('above'); // Monaco moves it below when there is no room above
  });
});
