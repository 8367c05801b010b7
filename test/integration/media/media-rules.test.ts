// Class rules enforced by the server: the student publish policy, staff-only moderation, max peers,
// class-scoped tokens, and one connection per user.
import { CLOSE_CODES, MEDIA_PROTOCOL_VERSION } from '@tandem/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaRequestError, MediaSignalClient } from '../../helpers/weriftSignal.ts';

const MAX_PEERS = 3;
let server: TestServer;
const cleanup: { close(): void }[] = [];

async function join(opts: Parameters<typeof WeriftMediaPeer.join>[1]): Promise<WeriftMediaPeer> {
  const peer = await WeriftMediaPeer.join(server, opts);
  cleanup.push(peer);
  return peer;
}

async function rawJoin(opts: { sub: string; role: 'student' | 'instructor'; cls: string; classId?: string }) {
  const client = await MediaSignalClient.connect(server.wsUrl);
  cleanup.push(client);
  const token = await server.token(opts);
  const reply = await client.requestRaw({
    method: 'join',
    data: { protocol: MEDIA_PROTOCOL_VERSION, token, classId: opts.classId ?? opts.cls, rtpCapabilities: {} },
  });
  return { client, reply };
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
  server = await startMediaServer({ MEDIA_MAX_PEERS: String(MAX_PEERS) });
});
afterEach(() => {
  for (const c of cleanup.splice(0)) c.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('media rules: who may publish', () => {
  it('refuses a student video when the class allows students audio only, with a clear error', async () => {
    const teacher = await join({ sub: 'teacher', role: 'instructor', cls: 'rules1' });
    const publisher = await join({ sub: 'publisher', role: 'student', cls: 'rules1' });
    const student = await join({ sub: 'student', role: 'student', cls: 'rules1' });
    expect(student.joined.policy).toBe('audio-video');
    const camera = await publisher.publish('camera');

    // Narrowing the policy closes the video students already send.
    const changed = await teacher.signal.request('setPublishPolicy', { policy: 'audio' });
    expect(changed).toEqual({ policy: 'audio', producersClosed: 1 });
    await student.signal.waitForNotification('publishPolicyChanged', (d) => d.policy === 'audio');
    const closed = await teacher.signal.waitForNotification(
      'producerClosed',
      (d) => d.producerId === camera.producerId,
    );
    expect(closed.reason).toBe('policy');

    const error = await refusal(student.publish('camera'));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('students may not publish camera');
    expect(error.message).toContain('"audio"');
    // Audio is still fine, and staff publish anything.
    await student.publish('mic');
    await teacher.publish('screen');
  });

  it('refuses a student screen share by default, and observers entirely', async () => {
    const student = await join({ sub: 'student', role: 'student', cls: 'rules2' });
    const error = await refusal(student.publish('screen'));
    expect(error).toMatchObject({ code: 'forbidden' });
    const observer = await join({ sub: 'observer', role: 'observer', cls: 'rules2' });
    expect((await refusal(observer.publish('mic'))).message).toContain('observers cannot publish');
  });

  it('keeps moderation to staff, and assistants off the instructor', async () => {
    const teacher = await join({ sub: 'teacher', role: 'instructor', cls: 'rules3' });
    const assistant = await join({ sub: 'ta', role: 'assistant', cls: 'rules3' });
    const student = await join({ sub: 'student', role: 'student', cls: 'rules3' });
    for (const [method, data] of [
      ['setPublishPolicy', { policy: 'all' }],
      ['muteAll', {}],
      ['mutePeer', { peerId: teacher.peerId }],
      ['removePeer', { peerId: assistant.peerId }],
      ['stopScreenShare', { peerId: teacher.peerId }],
    ] as const) {
      const error = await refusal(student.signal.request(method, data as never));
      expect(error.code, method).toBe('forbidden');
    }
    const error = await refusal(assistant.signal.request('removePeer', { peerId: teacher.peerId }));
    expect(error.message).toContain('assistants cannot moderate the instructor');
  });
});

describe('media rules: staff actions', () => {
  it('stops a screen share and removes a peer', async () => {
    const teacher = await join({ sub: 'teacher', role: 'instructor', cls: 'rules4' });
    const presenter = await join({ sub: 'presenter', role: 'student', cls: 'rules4' });
    const other = await join({ sub: 'other', role: 'student', cls: 'rules4' });
    await teacher.signal.request('setPublishPolicy', { policy: 'all' });
    const screen = await presenter.publish('screen');
    const mic = await presenter.publish('mic');

    expect(await teacher.signal.request('stopScreenShare', { peerId: presenter.peerId })).toEqual({
      producersClosed: 1,
    });
    for (const peer of [presenter, other]) {
      const closed = await peer.signal.waitForNotification(
        'producerClosed',
        (d) => d.producerId === screen.producerId,
      );
      expect(closed.reason).toBe('stopped-by-staff');
    }

    await teacher.signal.request('removePeer', { peerId: presenter.peerId });
    const close = await presenter.signal.waitForClose();
    const reason = 'teacher removed you from the call. You can join it again.';
    expect(close).toEqual({ code: CLOSE_CODES.forbidden, reason });
    expect(presenter.signal.received('removed')).toEqual([{ scope: 'call', byName: 'teacher', reason }]);
    expect(await other.signal.waitForNotification('peerLeft', (d) => d.peerId === presenter.peerId)).toEqual({
      peerId: presenter.peerId,
      reason: 'removed',
    });
    await other.signal.waitForNotification('producerClosed', (d) => d.producerId === mic.producerId);
  });

  it('mutes everyone but staff with muteAll', async () => {
    const teacher = await join({ sub: 'teacher', role: 'instructor', cls: 'rules5' });
    const students = [
      await join({ sub: 's1', role: 'student', cls: 'rules5' }),
      await join({ sub: 's2', role: 'student', cls: 'rules5' }),
    ];
    const teacherMic = await teacher.publish('mic');
    for (const s of students) await s.publish('mic');
    expect(await teacher.signal.request('muteAll')).toEqual({ producersPaused: 2 });
    for (const s of students) await s.signal.waitForNotification('mutedByStaff');
    expect(teacherMic.producer.paused).toBe(false);
    expect(teacher.signal.received('mutedByStaff')).toEqual([]);
  });
});

describe('media rules: admission', () => {
  it('refuses a token for another class with 4403', async () => {
    const { client, reply } = await rawJoin({
      sub: 'student',
      role: 'student',
      cls: 'other-class',
      classId: 'rules6',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(reply.error?.message).toContain('not valid for class rules6');
    expect((await client.waitForClose()).code).toBe(CLOSE_CODES.forbidden);
  });

  it(`admits at most ${MAX_PEERS} peers, but always staff`, async () => {
    for (let i = 0; i < MAX_PEERS; i++) await join({ sub: `s${i}`, role: 'student', cls: 'rules7' });
    const { client, reply } = await rawJoin({ sub: 'late', role: 'student', cls: 'rules7' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(reply.error?.message).toContain(`full (${MAX_PEERS} participants)`);
    expect((await client.waitForClose()).code).toBe(CLOSE_CODES.unavailable);
    const teacher = await join({ sub: 'teacher', role: 'instructor', cls: 'rules7' });
    expect(teacher.joined.peers).toHaveLength(MAX_PEERS);
  });

  it('replaces an older connection of the same user', async () => {
    const other = await join({ sub: 'other', role: 'student', cls: 'rules8' });
    const first = await join({ sub: 'twice', role: 'student', cls: 'rules8' });
    const second = await join({ sub: 'twice', role: 'student', cls: 'rules8' });
    expect((await first.signal.waitForClose()).code).toBe(CLOSE_CODES.conflict);
    await other.signal.waitForNotification(
      'peerLeft',
      (d) => d.peerId === first.peerId && d.reason === 'replaced',
    );
    await waitFor(() => other.signal.received('peerJoined').some((d) => d.peer.peerId === second.peerId));
  });
});
