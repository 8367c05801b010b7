// Peer requests about its own producers: produce (checked against the room's rules and the peer's grant),
// pause, resume, close.
import { kindOfSource, type MediaReplyData, type MediaRequestData, publishDecision } from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { ClassRoom, ProducerAppData } from './ClassRoom.ts';
import type { Peer, ProducerEntry } from './Peer.ts';

export async function produce(
  room: ClassRoom,
  peer: Peer,
  data: MediaRequestData<'produce'>,
): Promise<MediaReplyData<'produce'>> {
  const { transportId, kind, source, rtpParameters, paused = false } = data;
  const transport = peer.transport(transportId, 'send');
  if (kindOfSource(source) !== kind) {
    throw new AppError('bad_request', `a ${source} producer carries ${kindOfSource(source)}, not ${kind}`);
  }
  assertMayPublish(room, peer, source);
  const existing = peer.producerBySource(source);
  if (existing) {
    throw new AppError(
      'conflict',
      `you already publish ${source} (producer ${existing.producer.id}); close it first`,
    );
  }
  const appData: ProducerAppData = { peerId: peer.id, source };
  // The shapes were validated by the shared schemas (valibot); mediasoup validates the values and throws TypeError on nonsense.
  const producer = await transport.produce({
    kind,
    rtpParameters: rtpParameters as ms.RtpParameters,
    paused,
    appData,
  });
  if (peer.closed) {
    producer.close();
    throw new AppError('conflict', 'this connection closed while the producer was being created');
  }
  room.trackProducer(peer, { producer, source, mutedByStaff: false });
  return { producerId: producer.id };
}

export async function pauseProducer(
  room: ClassRoom,
  peer: Peer,
  { producerId }: MediaRequestData<'pauseProducer'>,
): Promise<MediaReplyData<'pauseProducer'>> {
  const entry = peer.producer(producerId);
  if (!entry.producer.paused) {
    await entry.producer.pause();
    room.broadcast('producerPaused', { producerId, peerId: peer.id, byStaff: false }, { except: peer });
  }
  return {};
}

export async function resumeProducer(
  room: ClassRoom,
  peer: Peer,
  { producerId }: MediaRequestData<'resumeProducer'>,
): Promise<MediaReplyData<'resumeProducer'>> {
  const entry = peer.producer(producerId);
  // Being muted by staff does not lock the mic; the class policy does.
  assertMayPublish(room, peer, entry.source);
  entry.mutedByStaff = false;
  if (entry.producer.paused) {
    await entry.producer.resume();
    room.broadcast('producerResumed', { producerId, peerId: peer.id }, { except: peer });
  }
  return {};
}

export function closeProducer(
  room: ClassRoom,
  peer: Peer,
  { producerId }: MediaRequestData<'closeProducer'>,
): MediaReplyData<'closeProducer'> {
  room.closeProducer(peer.producer(producerId), 'closed');
  return {};
}

function assertMayPublish(room: ClassRoom, peer: Peer, source: ProducerEntry['source']): void {
  const decision = publishDecision(peer.identity.role, room.policy, source, peer.grant);
  if (!decision.ok) throw new AppError('forbidden', decision.reason);
}
