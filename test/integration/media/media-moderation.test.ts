// Staff acting on one peer over signaling, against the real worker: stopping a camera (the peer is told who
// did it and may turn it on again), letting one student speak or present beyond the room's policy (taking it
// back closes what it no longer allows), and every refusal: a student moderating, an assistant acting on the
// instructor, a grant for someone who cannot have one, a peer id that is not there, and a flood of actions.
import { CLOSE_CODES } from '@tandem/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaRequestError } from '../../helpers/weriftSignal.ts';

let server: TestServer;
const cleanup: WeriftMediaPeer[] = [];

async function join(sub: string, cls: string, role: 'student' | 'instructor' | 'assistant' | 'observer') {
  const peer = await WeriftMediaPeer.join(server, { sub, role, cls });
  cleanup.push(peer);
  return peer;
}

async function refusal(promise: Promise<unknown>): Promise<MediaRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaRequestError);
  return error as MediaRequestError;
}

beforeAll(async () => {
  server = await startMediaServer();
});
afterEach(() => {
  for (const c of cleanup.splice(0)) c.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('staff acting on one peer', () => {
  it('stops a camera: everyone sees it close, the student is told who did it and may turn it on again', async () => {
    const teacher = await join('ines', 'mod1', 'instructor');
    const student = await join('ana', 'mod1', 'student');
    const other = await join('li', 'mod1', 'student');
    const camera = await student.publish('camera');
    const mic = await student.publish('mic');

    expect(await teacher.signal.request('stopCamera', { peerId: student.peerId })).toEqual({
      producersClosed: 1,
    });
    for (const peer of [student, other]) {
      const closed = await peer.signal.waitForNotification(
        'producerClosed',
        (d) => d.producerId === camera.producerId,
      );
      expect(closed.reason).toBe('stopped-by-staff');
    }
    expect(await student.signal.waitForNotification('stoppedByStaff')).toEqual({
      source: 'camera',
      producerIds: [camera.producerId],
      byPeerId: teacher.peerId,
      byName: 'ines',
    });
    // The microphone is untouched, nobody else was told, and the camera may come back (policy allows it).
    expect(mic.producer.closed).toBe(false);
    expect(other.signal.received('stoppedByStaff')).toEqual([]);
    expect(teacher.signal.received('stoppedByStaff')).toEqual([]);
    await student.publish('camera');
    // Nothing to stop: a no-op, not an error.
    await teacher.signal.request('stopCamera', { peerId: teacher.peerId });
  });

  it('lets one student present under an audio-only policy; taking it back closes the share', async () => {
    const teacher = await join('ines', 'mod2', 'instructor');
    const ana = await join('ana', 'mod2', 'student');
    const li = await join('li', 'mod2', 'student');
    await teacher.signal.request('setPublishPolicy', { policy: 'audio' });
    // (A client whose produce was refused is not used to publish video again: werift's SDP gets confused.)
    expect((await refusal(li.publish('screen'))).message).toContain('ask the instructor to let you present');

    expect(await teacher.signal.request('setPublishGrant', { peerId: ana.peerId, grant: 'present' })).toEqual(
      {
        grant: 'present',
        producersClosed: 0,
      },
    );
    for (const peer of [ana, li, teacher]) {
      expect(await peer.signal.waitForNotification('publishGrantChanged')).toEqual({
        peerId: ana.peerId,
        userId: 'ana',
        grant: 'present',
        byPeerId: teacher.peerId,
        byName: 'ines',
      });
    }
    const screen = await ana.publish('screen');
    const camera = await ana.publish('camera');
    // Only Ana: the policy still holds for the others.
    const mo = await join('mo', 'mod2', 'student');
    expect((await refusal(mo.publish('screen'))).code).toBe('forbidden');
    // A narrower policy leaves a granted student's share alone.
    expect(await teacher.signal.request('setPublishPolicy', { policy: 'none' })).toEqual({
      policy: 'none',
      producersClosed: 0,
    });

    // Down to speaking: the screen and camera close; the microphone is still allowed.
    const speak = await teacher.signal.request('setPublishGrant', { peerId: ana.peerId, grant: 'speak' });
    expect(speak).toEqual({ grant: 'speak', producersClosed: 2 });
    for (const id of [screen.producerId, camera.producerId]) {
      const closed = await li.signal.waitForNotification('producerClosed', (d) => d.producerId === id);
      expect(closed.reason).toBe('policy');
    }
    // The grant belongs to the user: a reconnect keeps it, and the join reply says so.
    const again = await WeriftMediaPeer.join(server, { sub: 'ana', role: 'student', cls: 'mod2' });
    cleanup.push(again);
    expect(again.joined.you.grant).toBe('speak');
    expect(again.joined.policy).toBe('none');
    const mic = await again.publish('mic');
    // Taken back under policy none: the microphone closes too.
    expect(await teacher.signal.request('setPublishGrant', { peerId: again.peerId, grant: null })).toEqual({
      grant: null,
      producersClosed: 1,
    });
    const closed = await li.signal.waitForNotification(
      'producerClosed',
      (d) => d.producerId === mic.producerId,
    );
    expect(closed.reason).toBe('policy');
  });

  it('removes a peer from the call with a reason; they may join again', async () => {
    const teacher = await join('ines', 'mod3', 'instructor');
    const ana = await join('ana', 'mod3', 'student');
    await teacher.signal.request('removePeer', { peerId: ana.peerId });
    const reason = 'ines removed you from the call. You can join it again.';
    expect(await ana.signal.waitForClose()).toEqual({ code: CLOSE_CODES.forbidden, reason });
    expect(ana.signal.received('removed')).toEqual([{ scope: 'call', byName: 'ines', reason }]);
    const back = await join('ana', 'mod3', 'student');
    expect(back.joined.peers.map((p) => p.userId)).toEqual(['ines']);
  });
});

describe('refusals of staff actions', () => {
  it('refuses students, assistants acting on the instructor, and grants for staff or observers', async () => {
    const teacher = await join('ines', 'mod4', 'instructor');
    const assistant = await join('tom', 'mod4', 'assistant');
    const ana = await join('ana', 'mod4', 'student');
    const observer = await join('obs', 'mod4', 'observer');
    for (const [method, data] of [
      ['stopCamera', { peerId: ana.peerId }],
      ['setPublishGrant', { peerId: ana.peerId, grant: 'present' }],
      ['setPublishGrant', { peerId: ana.peerId, grant: null }],
    ] as const) {
      const error = await refusal(ana.signal.request(method, data as never));
      expect(error, method).toMatchObject({
        code: 'forbidden',
        message: 'only instructors and assistants can moderate class media',
      });
    }
    for (const method of ['stopCamera', 'stopScreenShare', 'mutePeer', 'removePeer'] as const) {
      const error = await refusal(assistant.signal.request(method, { peerId: teacher.peerId }));
      expect(error.message, method).toBe('assistants cannot moderate the instructor');
    }
    const grantTeacher = await refusal(
      assistant.signal.request('setPublishGrant', { peerId: teacher.peerId, grant: 'speak' }),
    );
    expect(grantTeacher.message).toBe('assistants cannot moderate the instructor');
    const grantObserver = await refusal(
      teacher.signal.request('setPublishGrant', { peerId: observer.peerId, grant: 'speak' }),
    );
    expect(grantObserver.message).toContain('observers cannot publish');
    const grantStaff = await refusal(
      teacher.signal.request('setPublishGrant', { peerId: assistant.peerId, grant: 'present' }),
    );
    expect(grantStaff.message).toContain('may publish anything already');
    // Nobody was told anything, and the refused student stays connected.
    expect(ana.signal.received('publishGrantChanged')).toEqual([]);
    expect(ana.signal.closed).toBeUndefined();
  });

  it('refuses a peer id that is not in the room, and one that is not an id', async () => {
    const teacher = await join('ines', 'mod5', 'instructor');
    const elsewhere = await join('ana', 'mod5-other', 'student');
    for (const method of ['stopCamera', 'setPublishGrant'] as const) {
      const data = method === 'stopCamera' ? {} : { grant: 'speak' };
      const missing = await refusal(
        teacher.signal.request(method, { peerId: elsewhere.peerId, ...data } as never),
      );
      expect(missing).toMatchObject({
        code: 'not_found',
        message: `no peer ${elsewhere.peerId} in this class`,
      });
      const reply = await teacher.signal.requestRaw({ method, data: { peerId: '../x', ...data } });
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(reply.error?.message).toContain(`invalid ${method} request: data.peerId`);
    }
    // A student learns nothing about which ids exist: forbidden, not not_found.
    const student = await join('li', 'mod5', 'student');
    expect((await refusal(student.signal.request('stopCamera', { peerId: 'no-such-peer' }))).code).toBe(
      'forbidden',
    );
  });

  it('rate-limits staff actions of one connection, and the connection carries on', async () => {
    const teacher = await join('ines', 'mod6', 'instructor');
    const ana = await join('ana', 'mod6', 'student');
    const replies = await Promise.all(
      Array.from({ length: 40 }, () =>
        teacher.signal.requestRaw({ method: 'stopCamera', data: { peerId: ana.peerId } }),
      ),
    );
    const limited = replies.filter((r) => r.error?.code === 'rate_limited');
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(limited[0]?.error?.message).toContain('too many staff actions');
    expect(replies.filter((r) => r.ok).length).toBeGreaterThanOrEqual(20);
    // Other requests are not affected; the socket stays open.
    expect(await teacher.signal.request('ping')).toHaveProperty('serverTimeMs');
    expect(teacher.signal.closed).toBeUndefined();
  });
});
