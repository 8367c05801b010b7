// A recorded segment's start on the recording's clock: its file ends when the segment ended, so a file
// shorter than the segment's window began late and its start moves to keep a replay in step.
import { describe, expect, it } from 'vitest';
import { alignedStart } from '../../../server/src/recording/TrackRecorder.ts';

describe('alignedStart', () => {
  it('keeps the listening time when the file fills the window, give or take a frame or two', () => {
    expect(alignedStart(1000, 7000, 6)).toBe(1000);
    expect(alignedStart(1000, 7000, 5.8)).toBe(1000);
    expect(alignedStart(1000, 7000, 6.4)).toBe(1000);
  });

  it('moves the start to the end less the file’s length when the media began late', () => {
    expect(alignedStart(1000, 7000, 4)).toBe(3000);
    expect(alignedStart(0, 6500, 4.5)).toBe(2000);
  });

  it('keeps the listening time when the file could not be measured', () => {
    expect(alignedStart(1000, 7000, 0)).toBe(1000);
  });
});
