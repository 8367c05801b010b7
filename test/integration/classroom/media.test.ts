// The classroom over real class media (mediasoup worker + werift peers): mute all pauses students'
// microphones, speaking time comes from the SFU's active-speaker events, ending the session closes media,
// breakout groups have calls of their own for their members, staff act on one person over REST.
// Skipped when the mediasoup worker is not built (scripts/setup.sh builds it).
// On both storage engines.
import fs from 'node:fs';
import * as mediasoup from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_ENGINES } from '../../helpers/engineServer.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { person } from './classroomApi.ts';

const workerBuilt = fs.existsSync(mediasoup.workerBin);
let server: TestServer;
const peers: WeriftMediaPeer[] = [];

describe.each(STORAGE_ENGINES)('classroom with class media on %s', (engine) => {
  beforeAll(async () => {
    if (!workerBuilt)
      throw new Error(`mediasoup worker not built at ${mediasoup.workerBin}: run scripts/setup.sh`);
    server = await startMediaServer({}, engine);
  });
  afterAll(async () => {
    for (const p of peers.splice(0)) p.close();
    await server?.stop();
  });

  it('mute all, speaking time and the end of the session act on real media peers', async () => {
    const ines = await person(server, 'ines', 'instructor', 'media1');
    const started = await ines.api<{ session: { id: string } }>('POST', '/api/classes/media1/sessions', {
      startNow: true,
    });
    const sessionId = started.body.session.id;
    const teacher = await WeriftMediaPeer.join(server, { sub: 'ines', role: 'instructor', cls: 'media1' });
    const student = await WeriftMediaPeer.join(server, { sub: 'ana', role: 'student', cls: 'media1' });
    peers.push(teacher, student);
    await student.publish('mic', { audioLevelDbov: 15 });
    await teacher.signal.waitForNotification('activeSpeaker', (d) => d.peerId === student.peerId);

    // Ana holds the floor for a while: the report shows it, live.
    const speaking = async () => {
      const r = await ines.api<{
        participants: { userId: string; speakingSeconds: number; presentNow: boolean }[];
      }>('GET', `/api/sessions/${sessionId}/attendance`);
      return r.body.participants.find((p) => p.userId === 'ana');
    };
    await waitFor(async () => ((await speaking())?.speakingSeconds ?? 0) >= 0.5, { timeoutMs: 10_000 });
    expect((await speaking())?.presentNow).toBe(true);

    const muted = await ines.api<{ paused: number }>('POST', '/api/classes/media1/mute-all');
    expect(muted.status).toBe(200);
    expect(muted.body.paused).toBe(1);
    await student.signal.waitForNotification('mutedByStaff');

    await ines.api('POST', `/api/sessions/${sessionId}/end`);
    const closed = await student.signal.waitForClose();
    expect(closed.reason).toContain('ended');
    const after = await speaking();
    expect(after?.speakingSeconds).toBeGreaterThanOrEqual(0.5);
    expect(after?.presentNow).toBe(false);
  });

  it('staff act on one person over REST: mute, stop camera, let present, policy, remove from the call', async () => {
    const ines = await person(server, 'ines', 'instructor', 'media3');
    // Set before anyone joined: the call opens with it.
    const policy = await ines.api('PUT', '/api/classes/media3/publish-policy', { policy: 'audio' });
    expect(policy).toMatchObject({ status: 200, body: { policy: 'audio', producersClosed: 0 } });
    const teacher = await WeriftMediaPeer.join(server, { sub: 'ines', role: 'instructor', cls: 'media3' });
    const student = await WeriftMediaPeer.join(server, { sub: 'ana', role: 'student', cls: 'media3' });
    peers.push(teacher, student);
    expect(student.joined.policy).toBe('audio');
    const mic = await student.publish('mic');
    const act = (body: object) =>
      ines.api<{ affected: number }>('POST', '/api/classes/media3/people/ana/actions', body);
    const state = async () =>
      (
        await ines.api<{ person: { inCall: boolean; publishing: object; grant: string | null } }>(
          'GET',
          '/api/classes/media3/people/ana',
        )
      ).body.person;
    await waitFor(async () => (await state()).inCall);
    expect(await state()).toMatchObject({
      inCall: true,
      publishing: { mic: true, camera: false },
      grant: null,
    });

    expect((await act({ action: 'mute' })).body.affected).toBe(1);
    expect(await student.signal.waitForNotification('mutedByStaff')).toEqual({
      producerIds: [mic.producerId],
      byPeerId: null,
      byName: 'Ines',
    });
    expect(teacher.signal.received('mutedByStaff')).toEqual([]);

    expect((await act({ action: 'grant', grant: 'present' })).body.affected).toBe(0);
    expect(await student.signal.waitForNotification('publishGrantChanged')).toMatchObject({
      userId: 'ana',
      grant: 'present',
      byName: 'Ines',
    });
    const camera = await student.publish('camera');
    await waitFor(async () => ((await state()).publishing as { camera: boolean }).camera);
    expect((await act({ action: 'stop-camera' })).body.affected).toBe(1);
    expect(await student.signal.waitForNotification('stoppedByStaff')).toMatchObject({
      source: 'camera',
      producerIds: [camera.producerId],
      byName: 'Ines',
    });

    await ines.api('PUT', '/api/classes/media3/publish-policy', { policy: 'none' });
    expect(await student.signal.waitForNotification('publishPolicyChanged')).toEqual({
      policy: 'none',
      byPeerId: null,
      byName: 'Ines',
    });

    expect((await act({ action: 'remove-from-call' })).body.affected).toBe(1);
    expect(await student.signal.waitForClose()).toEqual({
      code: 4403,
      reason: 'Ines removed you from the call. You can join it again.',
    });
    // She was only in the call (no document open, not on the roster): the class no longer knows her.
    await waitFor(async () => (await ines.api('GET', '/api/classes/media3/people/ana')).status === 404);
    // Not a removal from the class: she joins again, still granted.
    const back = await WeriftMediaPeer.join(server, { sub: 'ana', role: 'student', cls: 'media3' });
    peers.push(back);
    expect(back.joined.you.grant).toBe('present');
  });

  it('a breakout group has its own media room, closed with the groups', async () => {
    const ines = await person(server, 'ines', 'instructor', 'media2');
    await ines.api('POST', '/api/classes/media2/sessions', { startNow: true });
    await ines.api('POST', '/api/classes/media2/breakouts', {
      mode: 'chosen',
      groups: [{ members: ['ana'] }],
    });
    const ana = await person(server, 'ana', 'student', 'media2');
    const group = await ana.api<{ classId: string }>('POST', '/api/classes/media2/breakouts/token', {});
    // The helper signs with the same secret and claims the server's group token carries.
    const inGroup = await WeriftMediaPeer.join(server, {
      sub: 'ana',
      role: 'student',
      cls: group.body.classId,
    });
    const inMain = await WeriftMediaPeer.join(server, { sub: 'ines', role: 'instructor', cls: 'media2' });
    peers.push(inGroup, inMain);
    expect(inGroup.joined.peers.map((p) => p.userId)).toEqual([]);
    // A group's call is its members' (and staff's): a token for the group's class is not enough.
    const outsider = WeriftMediaPeer.join(server, { sub: 'li', role: 'student', cls: group.body.classId });
    await expect(outsider).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('not in breakout group'),
    });
    const visitor = await WeriftMediaPeer.join(server, {
      sub: 'ines',
      role: 'instructor',
      cls: group.body.classId,
    });
    peers.push(visitor);
    await ines.api('POST', '/api/classes/media2/breakouts/close');
    expect((await inGroup.signal.waitForClose()).reason).toContain('breakout');
    expect(inMain.signal.closed).toBeUndefined();
    // Closed groups stay closed: the member's group token no longer gets into the call.
    const late = WeriftMediaPeer.join(server, { sub: 'ana', role: 'student', cls: group.body.classId });
    await expect(late).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('closed'),
    });
  });
});
