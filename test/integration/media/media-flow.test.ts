// End to end through the real worker: werift peers publish Opus, VP8 and a screen share; others receive
// RTP; staff mute stops delivery; active speaker and audio levels arrive.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaServiceOf } from '../../../server/src/media/index.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer, waitForSteady } from '../../helpers/weriftPeer.ts';

let server: TestServer;
const peers: WeriftMediaPeer[] = [];

async function join(...args: Parameters<typeof WeriftMediaPeer.join>[1][]): Promise<WeriftMediaPeer[]> {
  const joined = [];
  for (const opts of args) {
    const peer = await WeriftMediaPeer.join(server, opts);
    peers.push(peer);
    joined.push(peer);
  }
  return joined;
}

beforeAll(async () => {
  server = await startMediaServer();
});
afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('media: publish and receive through the SFU', () => {
  it('delivers A’s Opus and VP8 to B, counted in packets and bytes', async () => {
    const [a] = await join({ sub: 'teacher', role: 'instructor', cls: 'flow1' });
    const mic = await a!.publish('mic');
    const camera = await a!.publish('camera');
    const [b] = await join({ sub: 'student-b', role: 'student', cls: 'flow1' });
    expect(b!.joined.peers.map((p) => p.userId)).toEqual(['teacher']);
    expect(b!.joined.producers.map((p) => p.source).sort()).toEqual(['camera', 'mic']);

    const audio = await b!.consume(mic.producerId);
    const video = await b!.consume(camera.producerId);
    expect(audio.consumer.rtpParameters.codecs[0]?.mimeType.toLowerCase()).toBe('audio/opus');
    expect(video.consumer.rtpParameters.codecs[0]?.mimeType).toBe('video/VP8');
    await waitFor(() => audio.packets >= 25 && video.packets >= 15, { timeoutMs: 10_000 });
    expect(audio.bytes).toBeGreaterThanOrEqual(25 * 80);
    expect(video.bytes).toBeGreaterThanOrEqual(15 * 900);
  });
});

describe('media: screen share, mute, speakers', () => {
  it('a screen share arrives as its own producer and stream', async () => {
    const [teacher, student] = await join(
      { sub: 'teacher', role: 'instructor', cls: 'flow2' },
      { sub: 'student', role: 'student', cls: 'flow2' },
    );
    const camera = await teacher!.publish('camera');
    const screen = await teacher!.publish('screen');
    const added = await student!.signal.waitForNotification(
      'producerAdded',
      (d) => d.producer.source === 'screen',
    );
    expect(added.producer).toMatchObject({
      producerId: screen.producerId,
      peerId: teacher!.peerId,
      kind: 'video',
    });
    expect(screen.producerId).not.toBe(camera.producerId);

    const cameraIn = await student!.consume(camera.producerId);
    const screenIn = await student!.consume(screen.producerId);
    await waitFor(() => cameraIn.packets >= 10 && screenIn.packets >= 5, { timeoutMs: 10_000 });
    // Two separate streams: different tracks and SSRCs.
    expect(screenIn.consumer.track.id).not.toBe(cameraIn.consumer.track.id);
    expect(screenIn.consumer.rtpParameters.encodings?.[0]?.ssrc).not.toBe(
      cameraIn.consumer.rtpParameters.encodings?.[0]?.ssrc,
    );

    // Stopping the share closes only that stream, for everyone.
    await teacher!.signal.request('closeProducer', { producerId: screen.producerId });
    const closed = await student!.signal.waitForNotification(
      'producerClosed',
      (d) => d.producerId === screen.producerId,
    );
    expect(closed.reason).toBe('closed');
    await student!.signal.waitForNotification('consumerClosed', (d) => d.consumerId === screenIn.consumerId);
    const cameraBefore = cameraIn.packets;
    await waitFor(() => cameraIn.packets > cameraBefore + 5);
  });

  it('staff mute stops delivery of a student’s audio and tells the student', async () => {
    const [teacher, student, listener] = await join(
      { sub: 'teacher', role: 'instructor', cls: 'flow3' },
      { sub: 'talker', role: 'student', cls: 'flow3' },
      { sub: 'listener', role: 'student', cls: 'flow3' },
    );
    const mic = await student!.publish('mic');
    const audio = await listener!.consume(mic.producerId);
    await waitFor(() => audio.packets >= 10, { timeoutMs: 10_000 });

    expect(await teacher!.signal.request('mutePeer', { peerId: student!.peerId })).toEqual({
      producersPaused: 1,
    });
    expect(await student!.signal.waitForNotification('mutedByStaff')).toEqual({
      producerIds: [mic.producerId],
      byPeerId: teacher!.peerId,
      byName: 'teacher',
    });
    await listener!.signal.waitForNotification(
      'producerPaused',
      (d) => d.producerId === mic.producerId && d.byStaff,
    );

    // The student keeps sending; nothing more reaches the listener.
    const stopped = await waitForSteady(() => audio.packets, 300);
    const sentAtStop = mic.pump.sent;
    await waitFor(() => mic.pump.sent >= sentAtStop + 25);
    expect(audio.packets).toBe(stopped);

    // Staff mute is not a lock: the student may unmute, and delivery resumes.
    await student!.signal.request('resumeProducer', { producerId: mic.producerId });
    await listener!.signal.waitForNotification('producerResumed', (d) => d.producerId === mic.producerId);
    await waitFor(() => audio.packets >= stopped + 10, { timeoutMs: 10_000 });
  });

  it('reports the active speaker and audio levels, on the socket and in-process', async () => {
    const service = mediaServiceOf(server.tandem.ctx)!;
    const speakers: { classId: string; userId: string | null }[] = [];
    service.on('activeSpeaker', (e) => speakers.push(e));
    const [teacher, student] = await join(
      { sub: 'teacher', role: 'instructor', cls: 'flow4' },
      { sub: 'speaker', role: 'student', cls: 'flow4' },
    );
    const mic = await student!.publish('mic', { audioLevelDbov: 15 });
    await teacher!.signal.waitForNotification('activeSpeaker', (d) => d.peerId === student!.peerId);
    const levels = await teacher!.signal.waitForNotification('audioLevels', (d) => d.levels.length > 0);
    expect(levels.levels[0]).toMatchObject({ peerId: student!.peerId, producerId: mic.producerId });
    expect(levels.levels[0]!.volume).toBeGreaterThan(-30);
    await waitFor(() => speakers.some((s) => s.classId === 'flow4' && s.userId === 'speaker'));
  });
});
