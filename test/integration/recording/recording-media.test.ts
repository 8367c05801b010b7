// Recording real media end to end: a person publishes a real microphone (Opus, a 440 Hz tone) and camera
// (VP8, a moving test pattern) from ffmpeg's test sources; staff start and stop recording over REST; the
// files downloaded through their signed URLs are checked with ffprobe (codecs, duration within a second of
// the manifest's), volumedetect (not silent) and mpdecimate (the picture changes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distinctFrames, meanVolumeDb, probe } from '../../helpers/ffmpegRtp.ts';
import {
  download,
  getRecording,
  joinWithMedia,
  liveSession,
  type RecordingFixture,
  recordFor,
  recordingAction,
  startRecordingServer,
} from './recordingHelpers.ts';

let f: RecordingFixture;

describe('recording a class with real media', () => {
  beforeAll(async () => {
    f = await startRecordingServer();
  });
  afterAll(async () => {
    for (const c of f?.cleanup ?? []) c();
    await f?.server.stop();
  });

  it('writes Opus and VP8 as they are to WebM files that play for as long as the manifest says', async () => {
    const sessionId = await liveSession(f);
    const { producers } = await joinWithMedia(f, 'ines');
    const started = await recordingAction(f, sessionId, 'start');
    expect(started).toMatchObject({ state: 'recording', sessionId, classId: 'rec1' });
    expect(started.startedAt).toBeGreaterThan(Date.now() - 10_000);

    await recordFor(6000);
    const stopped = await recordingAction(f, sessionId, 'stop');
    expect(stopped.state).toBe('stopped');
    expect(stopped.stopReason).toBe('stopped by Ines');

    const view = await getRecording(f, started.id);
    expect(view.tracks.map((t) => t.source).sort()).toEqual(['camera', 'mic']);
    for (const track of view.tracks) {
      expect(track).toMatchObject({ userId: 'ines', producerId: producers.get(track.source) });
      expect(track.segments).toHaveLength(1);
      const [segment] = track.segments;
      expect(segment?.url).toMatch(/^\/api\/recordings\/.+\/files\/.+\?expires=\d+&signature=/);
      const file = await download(f, segment!.url!, segment!.file);
      const probed = await probe(file);
      const expectedSec = (segment!.endOffsetMs! - segment!.startOffsetMs) / 1000;
      expect(expectedSec).toBeGreaterThan(5);
      expect(Math.abs(probed.durationSec - expectedSec)).toBeLessThan(1);
      if (track.source === 'mic') {
        expect(track.codec.toLowerCase()).toBe('audio/opus');
        expect(probed.codecs).toEqual(['opus']);
        expect(await meanVolumeDb(file)).toBeGreaterThan(-40);
      } else {
        expect(track.codec).toBe('video/VP8');
        expect(probed.codecs).toEqual(['vp8']);
        expect(await distinctFrames(file)).toBeGreaterThan(30);
      }
    }
  });
});
