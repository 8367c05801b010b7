// The calls of one class, against the real worker: a pair's room is its own (nobody in the main call gets
// its producers, its members get each other's), lets its people share a screen, and is checked at join;
// the main call is the default.
import { CLOSE_CODES, MEDIA_PROTOCOL_VERSION } from '@tandem/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaSignalClient } from '../../helpers/weriftSignal.ts';

let server: TestServer;
const cleanup: { close(): void }[] = [];

async function join(sub: string, role: 'student' | 'instructor', room?: string) {
  const peer = await WeriftMediaPeer.join(server, { sub, role, cls: 'rooms1', ...(room ? { room } : {}) });
  cleanup.push(peer);
  return peer;
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

describe('pair rooms', () => {
  it('keep a pair’s call private from the main call, and its members get each other’s media', async () => {
    const teacher = await join('ines', 'instructor');
    const inMain = await join('li', 'student');
    const ana = await join('ana', 'student', 'pair:p1');
    const ben = await join('ben', 'student', 'pair:p1');
    expect(ana.joined.room).toBe('pair:p1');
    expect(teacher.joined.room).toBe('main');
    // Pairs may share everything, screens included, whatever the class's policy.
    expect(ana.joined.policy).toBe('all');
    const screen = await ana.publish('screen');
    const mic = await ana.publish('mic');
    const teacherMic = await teacher.publish('mic');

    await ben.signal.waitForNotification('producerAdded', (d) => d.producer.producerId === screen.producerId);
    const received = await ben.consume(mic.producerId);
    await waitFor(() => received.packets > 5, { message: 'ben hears ana' });
    expect(ben.joined.peers.map((p) => p.userId)).toEqual(['ana']);

    // The main call knows nothing of the pair: no peers, no producers, and consuming by id fails.
    await inMain.signal.waitForNotification(
      'producerAdded',
      (d) => d.producer.producerId === teacherMic.producerId,
    );
    for (const peer of [teacher, inMain]) {
      expect(peer.signal.received('peerJoined').map((d) => d.peer.userId)).not.toContain('ana');
      expect(peer.signal.received('producerAdded').map((d) => d.producer.peerId)).not.toContain(ana.peerId);
    }
    const late = await join('mo', 'student');
    expect(late.joined.producers.map((p) => p.producerId)).toEqual([teacherMic.producerId]);
    await late.consume(teacherMic.producerId);
    await expect(late.signal.request('consume', { producerId: mic.producerId })).rejects.toMatchObject({
      code: 'not_found',
    });
    // Nor does the pair hear the main call.
    expect(ana.signal.received('producerAdded').map((d) => d.producer.producerId)).not.toContain(
      teacherMic.producerId,
    );
  });

  it('lets one person be in the main call and a pair’s at once, each its own connection', async () => {
    const main = await join('ana', 'student');
    const pair = await join('ana', 'student', 'pair:p2');
    expect(main.signal.closed).toBeUndefined();
    expect(pair.joined.room).toBe('pair:p2');
  });

  it('refuses a room that is not main or pair:<key>, and pair:main (the class’s own document)', async () => {
    for (const [room, text] of [
      ['pair:main', 'join room "main" instead'],
      ['pair:a/b', 'room must be'],
      ['lobby', 'room must be'],
    ] as const) {
      const client = await MediaSignalClient.connect(server.wsUrl);
      cleanup.push(client);
      const token = await server.token({ sub: 'ana', role: 'student', cls: 'rooms1' });
      const reply = await client.requestRaw({
        method: 'join',
        data: { protocol: MEDIA_PROTOCOL_VERSION, token, classId: 'rooms1', room, rtpCapabilities: {} },
      });
      expect(reply, room).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(reply.error?.message).toContain(text);
      // A join that was read and refused closes the socket; a malformed one may be sent again.
      if (room === 'pair:main') expect((await client.waitForClose()).code).toBe(CLOSE_CODES.badRequest);
      else expect(client.closed).toBeUndefined();
    }
  });
});
