// Recording real media end to end: a person publishes a real microphone (Opus, a 440 Hz tone) and camera
// (VP8, a moving test pattern) from ffmpeg's test sources; staff start and stop recording over REST; the
// files downloaded through their signed URLs are checked with ffprobe (codecs, duration within a second of
// the manifest's), volumedetect (not silent) and mpdecimate (the picture changes). A camera sent as H264
// (baseline, packetization-mode 1, as a browser that encodes only H264 sends it) is written to Matroska.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distinctFrames, meanVolumeDb, probe, startFfmpegSource } from '../../helpers/ffmpegRtp.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import {
  download,
  getRecording,
  joinWithMedia,
  liveSession,
  type RecordingFixture,
  recordFor,
  recordingAction,
  startRecordingServer,
  trackRecorders,
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
      // A <video> seeks with range requests.
      const ranged = await fetch(`${f.server.httpUrl}${segment!.url}`, {
        headers: { range: 'bytes=100-199' },
      });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${segment!.bytes}`);
      expect(Buffer.from(await ranged.arrayBuffer())).toEqual(fs.readFileSync(file).subarray(100, 200));
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

describe('recording H264', () => {
  beforeAll(async () => {
    f = await startRecordingServer();
  });
  afterAll(async () => {
    for (const c of f?.cleanup ?? []) c();
    await f?.server.stop();
  });

  it('writes an H264 camera as it is to a Matroska file that plays for as long as the manifest says', async () => {
    const sessionId = await liveSession(f);
    const peer = await WeriftMediaPeer.join(f.server, { sub: 'ines', role: 'instructor', cls: 'rec1' });
    const feed = await startFfmpegSource('h264');
    f.cleanup.push(() => {
      feed.stop();
      peer.close();
    });
    const producer = await peer.publishTrack('camera', feed.track, 'video/H264');
    expect(producer.rtpParameters.codecs[0]).toMatchObject({
      mimeType: 'video/H264',
      parameters: expect.objectContaining({ 'packetization-mode': 1, 'profile-level-id': '42e01f' }),
    });
    await waitFor(() => feed.packets() > 10, { timeoutMs: 10_000, message: 'H264 flowing' });
    const started = await recordingAction(f, sessionId, 'start');
    await waitFor(() => trackRecorders(f)[0]?.track.segments.length === 1, { timeoutMs: 10_000 });
    await recordFor(6000);
    await recordingAction(f, sessionId, 'stop');

    const view = await getRecording(f, started.id);
    expect(view.tracks).toHaveLength(1);
    const [track] = view.tracks;
    expect(track).toMatchObject({ source: 'camera', kind: 'video', codec: 'video/H264' });
    const [segment] = track!.segments;
    expect(segment).toMatchObject({ container: 'mkv', endReason: 'stopped' });
    expect(segment!.file).toMatch(/\.mkv$/);
    const file = await download(f, segment!.url!, segment!.file);
    const probed = await probe(file);
    expect(probed.codecs).toEqual(['h264']);
    const expectedSec = (segment!.endOffsetMs! - segment!.startOffsetMs) / 1000;
    expect(expectedSec).toBeGreaterThan(5);
    expect(Math.abs(probed.durationSec - expectedSec)).toBeLessThan(1);
    expect(await distinctFrames(file)).toBeGreaterThan(30);
  });
});

describe('recording segments', () => {
  beforeAll(async () => {
    f = await startRecordingServer();
  });
  afterAll(async () => {
    for (const c of f?.cleanup ?? []) c();
    await f?.server.stop();
  });

  it('ends a segment on pause, starts another on resume, and records a person who reconnects as a new track', async () => {
    const sessionId = await liveSession(f);
    const first = await joinWithMedia(f, 'ana', ['mic']);
    const started = await recordingAction(f, sessionId, 'start');
    const micTrack = () =>
      trackRecorders(f).find((t) => t.track.producerId === first.producers.get('mic'))?.track;
    await waitFor(() => micTrack()?.segments.length === 1, { timeoutMs: 10_000 });
    await recordFor(1500);
    await first.peer.signal.request('pauseProducer', { producerId: first.producers.get('mic')! });
    await waitFor(() => micTrack()?.pauses.length === 1 && micTrack()?.segments[0]?.endReason === 'paused');
    await recordFor(1000);
    await first.peer.signal.request('resumeProducer', { producerId: first.producers.get('mic')! });
    await waitFor(() => micTrack()?.segments.length === 2, { timeoutMs: 10_000 });
    await recordFor(1500);
    // Ana's connection drops; she comes back with a new producer: a new track, recorded at once.
    first.peer.close();
    for (const feed of first.feeds) feed.stop();
    const again = await joinWithMedia(f, 'ana', ['mic']);
    await waitFor(
      () =>
        trackRecorders(f).find((t) => t.track.producerId === again.producers.get('mic'))?.track.segments
          .length,
      { timeoutMs: 10_000 },
    );
    await recordFor(1500);
    await recordingAction(f, sessionId, 'stop');

    const view = await getRecording(f, started.id);
    const [before, after] = view.tracks.filter((t) => t.userId === 'ana');
    expect(before!.segments.map((s) => s.endReason)).toEqual(['paused', 'closed']);
    expect(before!.pauses).toHaveLength(1);
    const [pause] = before!.pauses;
    expect(pause!.endOffsetMs! - pause!.startOffsetMs).toBeGreaterThanOrEqual(900);
    expect(before!.segments[1]!.startOffsetMs).toBeGreaterThanOrEqual(pause!.endOffsetMs!);
    // The resumed segment starts as the pause ends (its recorder starts at once), not seconds later.
    expect(before!.segments[1]!.startOffsetMs - pause!.endOffsetMs!).toBeLessThan(1000);
    expect(after!.startOffsetMs).toBeGreaterThanOrEqual(before!.endOffsetMs!);
    expect(after!.segments).toHaveLength(1);
    for (const track of [before!, after!]) {
      for (const segment of track.segments) {
        const probed = await probe(await download(f, segment.url!, segment.file));
        expect(probed.codecs).toEqual(['opus']);
        expect(
          Math.abs(probed.durationSec - (segment.endOffsetMs! - segment.startOffsetMs) / 1000),
        ).toBeLessThan(1);
      }
    }
  });
});
