// The export's ffmpeg command places each camera in the corner only during its person's speaker turns; without
// turns it falls back to the person on the microphone the longest, for the whole recording.
import type { RecordingManifest, RecordingTrack } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { exportPlan } from '../../../../server/src/recording/export/exportPlan.ts';

function track(userId: string, source: RecordingTrack['source'], endOffsetMs = 20_000): RecordingTrack {
  const file = `${userId}-${source}.webm`;
  return {
    id: file,
    producerId: file,
    userId,
    name: userId,
    role: 'student',
    source,
    kind: source === 'mic' ? 'audio' : 'video',
    codec: source === 'mic' ? 'audio/opus' : 'video/VP8',
    startOffsetMs: 0,
    endOffsetMs,
    pauses: [],
    gaps: [],
    segments: [
      {
        id: file,
        file,
        container: 'webm',
        startOffsetMs: 0,
        endOffsetMs,
        endReason: 'stopped',
        bytes: 1000,
        repaired: false,
      },
    ],
  };
}

const manifest: RecordingManifest = {
  version: 1,
  id: 'rec',
  sessionId: 's',
  classId: 'c',
  folder: 'f',
  state: 'stopped',
  startedAt: 0,
  stoppedAt: 20_000,
  stopReason: null,
  startedBy: null,
  tracks: [
    track('ana', 'mic', 20_000),
    track('ana', 'camera'),
    track('ana', 'screen'),
    track('ben', 'mic', 5_000),
    track('ben', 'camera'),
    track('cy', 'camera'),
  ],
};
const filterOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1] ?? '';
const inputIndex = (args: string[], file: string) =>
  args.filter((_arg, i) => args[i - 1] === '-i').findIndex((f) => f.endsWith(file));

describe('exportPlan', () => {
  it("enables each camera during its person's turns only, and leaves out a camera that never speaks", () => {
    const { args } = exportPlan(manifest, '/r', '/r/out.mp4', [
      { userId: 'ana', startMs: 0, endMs: 8000 },
      { userId: 'ben', startMs: 8000, endMs: 12_000 },
      { userId: 'ana', startMs: 12_000, endMs: 20_000 },
    ]);
    const filter = filterOf(args);
    const ana = inputIndex(args, 'ana-camera.webm');
    const ben = inputIndex(args, 'ben-camera.webm');
    expect(filter).toContain(`[${ana}:v]scale=320:180`);
    expect(filter).toContain(`[${ben}:v]scale=320:180`);
    expect(filter).toContain("enable='between(t,0.000,8.000)+between(t,12.000,20.000)'");
    expect(filter).toContain("enable='between(t,8.000,12.000)'");
    expect(filter).not.toContain(`[${inputIndex(args, 'cy-camera.webm')}:v]`);
  });

  it('without turns shows the camera of the person on the microphone the longest, throughout', () => {
    const { args } = exportPlan(manifest, '/r', '/r/out.mp4');
    const filter = filterOf(args);
    expect(filter).toContain(`[${inputIndex(args, 'ana-camera.webm')}:v]scale=320:180`);
    expect(filter).not.toContain(`[${inputIndex(args, 'ben-camera.webm')}:v]`);
    expect(filter).toContain("enable='between(t,0.000,20.000)'");
  });
});
