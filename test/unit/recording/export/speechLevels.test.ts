// Reading ffmpeg's per-second astats print-out into microphone levels on the recording's offsets.
import { describe, expect, it } from 'vitest';
import { levelArgs, parseLevels } from '../../../../server/src/recording/export/speechLevels.ts';

describe('parseLevels', () => {
  it('reads the RMS level of each block at its time plus the segment offset; -inf is silence', () => {
    const out = [
      'frame:0    pts:336     pts_time:0.007',
      'lavfi.astats.Overall.RMS_level=-21.077831',
      'frame:1    pts:48360   pts_time:1.0075',
      'lavfi.astats.Overall.RMS_level=-inf',
      '',
    ].join('\n');
    expect(parseLevels(out, 5000)).toEqual([
      { atMs: 5007, db: -21.077831 },
      { atMs: 6008, db: Number.NEGATIVE_INFINITY },
    ]);
  });

  it('asks ffmpeg for one-second blocks of the first audio stream', () => {
    const args = levelArgs('/r/001-ana-mic.webm');
    expect(args).toContain('/r/001-ana-mic.webm');
    expect(args.join(' ')).toContain('asetnsamples=n=48000');
  });
});
