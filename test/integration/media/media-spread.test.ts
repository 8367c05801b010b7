// A class with more viewers than MEDIA_VIEWERS_PER_ROUTER spreads over the node's workers: viewers past the
// threshold get their receive transport on a Router of another worker, the producer is piped there once
// (pipeToRouter) and its RTP reaches them; closing, pausing and resuming the producer carry over the pipe; the
// death of the second worker sends only its viewers to reconnect.
import { CLOSE_CODES } from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClassRoom } from '../../../server/src/media/ClassRoom.ts';
import { mediaServiceOf } from '../../../server/src/media/index.ts';
import type { MediaService } from '../../../server/src/media/MediaService.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer, waitForSteady } from '../../helpers/weriftPeer.ts';

const VIEWERS_PER_ROUTER = 2;
let server: TestServer;
let service: MediaService;
const peers: WeriftMediaPeer[] = [];

async function join(sub: string, cls: string, role: 'student' | 'instructor' = 'student') {
  const peer = await WeriftMediaPeer.join(server, { sub, role, cls });
  peers.push(peer);
  return peer;
}

/** A teacher publishing mic and camera, and three viewers: the third lands on a second Router. */
async function spreadClass(cls: string) {
  const teacher = await join('teacher', cls, 'instructor');
  const mic = await teacher.publish('mic');
  const camera = await teacher.publish('camera');
  const room = service.mainRoom(cls)!;
  // The pipe consumers on the first Router: what pipeToRouter creates to carry a producer to another worker.
  const pipeConsumers: ms.Consumer[] = [];
  room.router.observer.on('newtransport', (transport) => {
    if (transport.type === 'pipe') transport.observer.on('newconsumer', (c) => pipeConsumers.push(c));
  });
  const viewers: WeriftMediaPeer[] = [];
  for (const sub of ['v1', 'v2', 'v3']) {
    const viewer = await join(sub, cls);
    await viewer.consume(mic.producerId);
    await viewer.consume(camera.producerId);
    viewers.push(viewer);
  }
  return { teacher, mic, camera, room, viewers, pipeConsumers };
}

async function routerHolds(router: ms.Router, transportId: string): Promise<boolean> {
  return (await router.dump()).transportIds.includes(transportId);
}

function serverConsumer(room: ClassRoom, viewer: WeriftMediaPeer, producerId: string): ms.Consumer {
  return room.peer(viewer.peerId).consumerOf(producerId)!.consumer;
}

beforeAll(async () => {
  server = await startMediaServer({
    MEDIA_WORKERS: '2',
    MEDIA_VIEWERS_PER_ROUTER: String(VIEWERS_PER_ROUTER),
  });
  service = mediaServiceOf(server.tandem.ctx)!;
});
afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
});
afterAll(async () => {
  await server?.stop();
});

describe('media: a class spread over two workers', () => {
  it('places viewers past the threshold on a second worker, pipes each producer once, and their RTP arrives', async () => {
    const { mic, camera, room, viewers, pipeConsumers } = await spreadClass('spread1');
    const [first, second] = room.routers.routers();
    expect(room.routers.routers()).toHaveLength(2);
    expect(second!.slot.worker.pid).not.toBe(first!.slot.worker.pid);
    expect(first!.router).toBe(room.router);

    // v1 and v2 fill the first Router; v3's receive transport is on the other worker's Router.
    const [v1, v2, v3] = viewers;
    expect(await routerHolds(first!.router, v1!.recvTransport!.id)).toBe(true);
    expect(await routerHolds(first!.router, v2!.recvTransport!.id)).toBe(true);
    expect(await routerHolds(second!.router, v3!.recvTransport!.id)).toBe(true);
    expect(await routerHolds(first!.router, v3!.recvTransport!.id)).toBe(false);

    const audio = v3!.received.get(mic.producerId)!;
    const video = v3!.received.get(camera.producerId)!;
    await waitFor(() => audio.packets >= 25 && video.packets >= 15, { timeoutMs: 10_000 });
    expect(audio.consumer.rtpParameters.codecs[0]?.mimeType.toLowerCase()).toBe('audio/opus');
    expect(video.consumer.rtpParameters.codecs[0]?.mimeType).toBe('video/VP8');

    // A fourth viewer joins the second Router and reuses the pipes: still one per producer.
    const v4 = await join('v4', 'spread1');
    const audio4 = await v4.consume(mic.producerId);
    expect(await routerHolds(second!.router, v4.recvTransport!.id)).toBe(true);
    await waitFor(() => audio4.packets >= 10, { timeoutMs: 10_000 });
    expect(room.routers.pipeCount).toBe(2);
    expect(pipeConsumers.map((c) => c.producerId).sort()).toEqual([mic.producerId, camera.producerId].sort());

    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^tandem_media_routers 2$/m);
    expect(metrics).toMatch(/^tandem_media_pipes 2$/m);
  });

  it('closing the producer closes its pipe and the consumers on the second worker', async () => {
    const { teacher, camera, room, viewers, pipeConsumers } = await spreadClass('spread2');
    const v3 = viewers[2]!;
    const second = room.routers.routers()[1]!;
    const pipeProducer = await second.pipes.get(camera.producerId)!;
    const pipeConsumer = pipeConsumers.find((c) => c.producerId === camera.producerId)!;
    expect(pipeProducer.closed).toBe(false);
    const consumerId = v3.received.get(camera.producerId)!.consumerId;

    await teacher.signal.request('closeProducer', { producerId: camera.producerId });
    await v3.signal.waitForNotification('consumerClosed', (d) => d.consumerId === consumerId);
    await waitFor(() => pipeProducer.closed && pipeConsumer.closed);
    expect(second.pipes.has(camera.producerId)).toBe(false);
    expect(room.routers.pipeCount).toBe(1);
    expect(room.peer(v3.peerId).consumerOf(camera.producerId)).toBeUndefined();
  });

  it('pausing the producer stops delivery on the second worker; resuming restarts it', async () => {
    const { teacher, mic, room, viewers } = await spreadClass('spread3');
    const v3 = viewers[2]!;
    const audio = v3.received.get(mic.producerId)!;
    await waitFor(() => audio.packets >= 10, { timeoutMs: 10_000 });

    await teacher.signal.request('pauseProducer', { producerId: mic.producerId });
    await waitFor(() => serverConsumer(room, v3, mic.producerId).producerPaused);
    const stopped = await waitForSteady(() => audio.packets, 300);
    const sentAtStop = mic.pump.sent;
    await waitFor(() => mic.pump.sent >= sentAtStop + 25);
    expect(audio.packets).toBe(stopped);

    await teacher.signal.request('resumeProducer', { producerId: mic.producerId });
    await waitFor(() => !serverConsumer(room, v3, mic.producerId).producerPaused);
    await waitFor(() => audio.packets >= stopped + 10, { timeoutMs: 10_000 });
  });

  it('when the second worker dies, only its viewers are told to reconnect; the class goes on', async () => {
    const { mic, room, viewers } = await spreadClass('spread4');
    const [v1, , v3] = viewers;
    const second = room.routers.routers()[1]!;
    process.kill(second.slot.worker.pid, 'SIGKILL');

    const note = await v3!.signal.waitForNotification('reconnect');
    expect(note.reason).toContain('reconnect');
    expect((await v3!.signal.waitForClose()).code).toBe(CLOSE_CODES.unavailable);
    expect(room.closed).toBe(false);
    expect(room.routers.routers()).toHaveLength(1);
    const audio = v1!.received.get(mic.producerId)!;
    const before = audio.packets;
    await waitFor(() => audio.packets >= before + 10, { timeoutMs: 10_000 });
    expect(v1!.signal.closed).toBeUndefined();
    expect(v1!.signal.received('reconnect')).toHaveLength(0);
  });
});
