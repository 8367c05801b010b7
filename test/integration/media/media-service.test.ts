// The in-process MediaService other modules use: mute everyone, change the policy, end a class's media,
// and the peer events attendance listens to.
import { CLOSE_CODES } from '@tandem/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaServiceOf } from '../../../server/src/media/index.ts';
import type { MediaService } from '../../../server/src/media/MediaService.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';

let server: TestServer;
let service: MediaService;
const cleanup: WeriftMediaPeer[] = [];

async function join(sub: string, cls: string, role: 'student' | 'instructor' = 'student') {
  const peer = await WeriftMediaPeer.join(server, { sub, role, cls });
  cleanup.push(peer);
  return peer;
}

beforeAll(async () => {
  server = await startMediaServer();
  service = mediaServiceOf(server.tandem.ctx)!;
});
afterEach(() => {
  for (const c of cleanup.splice(0)) c.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('MediaService', () => {
  it('mutes every student of a class and changes its publish policy', async () => {
    const teacher = await join('teacher', 'svc1', 'instructor');
    const student = await join('student', 'svc1');
    const teacherMic = await teacher.publish('mic');
    const studentMic = await student.publish('mic');
    const camera = await student.publish('camera');

    expect(await service.muteAll('svc1', { byName: 'Class controls' })).toBe(1);
    expect(await student.signal.waitForNotification('mutedByStaff')).toEqual({
      producerIds: [studentMic.producerId],
      byPeerId: null,
      byName: 'Class controls',
    });
    expect(teacherMic.producer.paused).toBe(false);
    expect(await service.muteAll('no-such-class')).toBe(0);

    expect(service.setPublishPolicy('svc1', 'audio')).toBe(1);
    expect(service.publishPolicy('svc1')).toBe('audio');
    const closed = await teacher.signal.waitForNotification(
      'producerClosed',
      (d) => d.producerId === camera.producerId,
    );
    expect(closed.reason).toBe('policy');
    // A class not live yet keeps the policy for when its call opens.
    expect(service.setPublishPolicy('no-such-class', 'none')).toBe(0);
    expect(service.publishPolicy('no-such-class')).toBe('none');
  });

  it('ends a class’s media for everyone and reports who came and went', async () => {
    const events: string[] = [];
    const record = (classId: string, text: string) => classId === 'svc2' && events.push(text);
    service.on('classOpened', (e) => record(e.classId, `opened ${e.classId}`));
    service.on('peerJoined', (e) => record(e.classId, `joined ${e.classId} ${e.userId} ${e.role}`));
    service.on('peerLeft', (e) => record(e.classId, `left ${e.classId} ${e.userId} ${e.reason}`));
    service.on('classClosed', (e) => record(e.classId, `closed ${e.classId} ${e.reason}`));
    const teacher = await join('teacher', 'svc2', 'instructor');
    const student = await join('student', 'svc2');
    expect(service.peers('svc2').map((p) => p.userId)).toEqual(['teacher', 'student']);

    expect(await service.closeClass('svc2', 'the class has ended')).toBe(true);
    for (const peer of [teacher, student]) {
      expect(await peer.signal.waitForNotification('classClosed')).toEqual({ reason: 'the class has ended' });
      expect(await peer.signal.waitForClose()).toEqual({
        code: CLOSE_CODES.normal,
        reason: 'the class has ended',
      });
    }
    await waitFor(() => events.includes('closed svc2 ended'));
    expect(events).toEqual([
      'opened svc2',
      'joined svc2 teacher instructor',
      'joined svc2 student student',
      'left svc2 teacher class-closed',
      'left svc2 student class-closed',
      'closed svc2 ended',
    ]);
    expect(service.peers('svc2')).toEqual([]);
    expect(await service.closeClass('svc2')).toBe(false);
  });
  it('hands a class over to another node: everyone is told to reconnect, and can join again', async () => {
    const events: string[] = [];
    service.on('classClosed', (e) => e.classId === 'svc3' && events.push(`closed ${e.reason}`));
    const teacher = await join('teacher', 'svc3', 'instructor');
    const student = await join('student', 'svc3');
    const reason = 'this class moved to another server; reconnecting';
    expect(await service.handOver('svc3', reason)).toBe(true);
    for (const peer of [teacher, student]) {
      expect(await peer.signal.waitForNotification('reconnect')).toEqual({ reason });
      expect(await peer.signal.waitForClose()).toEqual({ code: CLOSE_CODES.unavailable, reason });
      expect(peer.signal.received('classClosed')).toEqual([]);
    }
    await waitFor(() => events.includes('closed moved'));
    expect(await service.handOver('svc3', reason)).toBe(false);
    // Nothing of the class is left behind: it opens again here if this node serves it again.
    const again = await join('teacher', 'svc3', 'instructor');
    expect(again.joined.you.userId).toBe('teacher');
  });
});
