// The classroom over real class media (mediasoup worker + werift peers): mute all pauses students'
// microphones, speaking time comes from the SFU's active-speaker events, ending the session closes media.
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
    await ines.api('POST', '/api/classes/media2/breakouts/close');
    expect((await inGroup.signal.waitForClose()).reason).toContain('breakout');
    expect(inMain.signal.closed).toBeUndefined();
  });
});
