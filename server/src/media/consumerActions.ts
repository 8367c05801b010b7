// Peer requests about consuming others' producers: consumers start paused and are resumed by the client
// once its side is ready, so no early packets (or a lost keyframe) reach a track nobody is rendering. A viewer
// on a spread Router consumes the producer's pipe there (RouterSet.ts).
import type { MediaReplyData, MediaRequestData, RtpParameters } from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { ClassRoom } from './ClassRoom.ts';
import { MAX_CONSUMERS_PER_PEER, type Peer } from './Peer.ts';

export async function consume(
  room: ClassRoom,
  peer: Peer,
  { producerId }: MediaRequestData<'consume'>,
): Promise<MediaReplyData<'consume'>> {
  const transport = peer.transportOf('recv');
  if (!transport) throw new AppError('bad_request', 'create a recv transport before consuming');
  const found = room.findProducer(producerId);
  if (!found) throw new AppError('not_found', `no producer ${producerId} in this class`);
  const existing = peer.consumerOf(producerId);
  if (existing) {
    throw new AppError(
      'conflict',
      `you already consume producer ${producerId} (consumer ${existing.consumer.id})`,
    );
  }
  if (peer.consumers.size >= MAX_CONSUMERS_PER_PEER) {
    throw new AppError('conflict', `at most ${MAX_CONSUMERS_PER_PEER} consumers per connection`);
  }
  const rtpCapabilities = peer.rtpCapabilities as ms.RtpCapabilities;
  if (!room.router.canConsume({ producerId, rtpCapabilities })) {
    throw new AppError(
      'bad_request',
      `your rtpCapabilities (from join) cannot receive producer ${producerId}: no common codec`,
    );
  }
  await room.routers.pipeTo(producerId, room.routers.routerOf(peer.id));
  const consumer = await transport.consume({
    producerId,
    rtpCapabilities,
    paused: true,
    appData: { peerId: peer.id },
  });
  if (peer.closed) {
    consumer.close();
    throw new AppError('conflict', 'this connection closed while the consumer was being created');
  }
  const { source } = found.entry;
  peer.consumers.set(consumer.id, { consumer, source, producerPeerId: found.peer.id });
  consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
  consumer.on('producerclose', () => peer.notify('consumerClosed', { consumerId: consumer.id, producerId }));
  return {
    consumerId: consumer.id,
    producerId,
    peerId: found.peer.id,
    kind: consumer.kind,
    source,
    rtpParameters: consumer.rtpParameters as RtpParameters,
    type: consumer.type,
    producerPaused: consumer.producerPaused,
  };
}

export async function resumeConsumer(
  peer: Peer,
  { consumerId }: MediaRequestData<'resumeConsumer'>,
): Promise<MediaReplyData<'resumeConsumer'>> {
  await peer.consumer(consumerId).consumer.resume();
  return {};
}

export async function pauseConsumer(
  peer: Peer,
  { consumerId }: MediaRequestData<'pauseConsumer'>,
): Promise<MediaReplyData<'pauseConsumer'>> {
  await peer.consumer(consumerId).consumer.pause();
  return {};
}

export async function setPreferredLayers(
  peer: Peer,
  { consumerId, spatialLayer, temporalLayer }: MediaRequestData<'setPreferredLayers'>,
): Promise<MediaReplyData<'setPreferredLayers'>> {
  const { consumer } = peer.consumer(consumerId);
  if (consumer.type !== 'simulcast' && consumer.type !== 'svc') {
    throw new AppError(
      'bad_request',
      `consumer ${consumerId} is not simulcast or SVC: it has no layers to choose`,
    );
  }
  await consumer.setPreferredLayers({
    spatialLayer,
    ...(temporalLayer === undefined ? {} : { temporalLayer }),
  });
  return {};
}
