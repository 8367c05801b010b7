// Peer requests about WebRtcTransports: create one per direction (send on the room's first Router, where
// producers live; receive on the Router the room places the viewer on, maybe on another worker), each on its
// worker's WebRtcServer; connect it with the client's DTLS parameters, and restart ICE after a network change.
import type { MediaReplyData, MediaRequestData } from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { ClassRoom } from './ClassRoom.ts';
import { INITIAL_OUTGOING_BITRATE_BPS, MAX_INCOMING_BITRATE_BPS } from './codecs.ts';
import type { Peer } from './Peer.ts';

const connected = new WeakSet<ms.WebRtcTransport>();

export async function createTransport(
  room: ClassRoom,
  peer: Peer,
  { direction }: MediaRequestData<'createTransport'>,
): Promise<MediaReplyData<'createTransport'>> {
  const existing = peer.transportOf(direction);
  if (existing) {
    throw new AppError(
      'conflict',
      `you already have a ${direction} transport (${existing.id}); reuse it, or restartIce`,
    );
  }
  // Producers stay on the first Router: the audio observers and the recorder follow it, and a class has few
  // publishers but many viewers. Only viewers spread (RouterSet.ts).
  const placed = direction === 'recv' ? await room.routers.placeViewer(peer.id) : room.routers.primary;
  const release = () => {
    if (direction === 'recv') room.routers.release(peer.id);
  };
  let transport: ms.WebRtcTransport;
  try {
    transport = await placed.router.createWebRtcTransport({
      webRtcServer: placed.slot.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE_BPS,
      appData: { peerId: peer.id, direction },
    });
  } catch (error) {
    release();
    throw error;
  }
  transport.observer.once('close', () => {
    peer.transports.delete(transport.id);
    release();
  });
  if (peer.closed) {
    transport.close();
    throw new AppError('conflict', 'this connection closed while the transport was being created');
  }
  peer.transports.set(transport.id, { transport, direction });
  transport.on('dtlsstatechange', (state) => {
    if (state === 'failed') room.log.warn({ peerId: peer.id, direction }, 'DTLS failed on a media transport');
  });
  if (direction === 'send') await transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE_BPS);
  return {
    transportId: transport.id,
    direction,
    iceParameters: transport.iceParameters,
    iceCandidates: transport.iceCandidates,
    dtlsParameters: transport.dtlsParameters,
  };
}

export async function connectTransport(
  peer: Peer,
  { transportId, dtlsParameters }: MediaRequestData<'connectTransport'>,
): Promise<MediaReplyData<'connectTransport'>> {
  const transport = peer.transport(transportId);
  if (connected.has(transport))
    throw new AppError('conflict', `transport ${transportId} is already connected`);
  connected.add(transport);
  try {
    await transport.connect({ dtlsParameters });
  } catch (error) {
    connected.delete(transport);
    throw error;
  }
  return {};
}

export async function restartIce(
  peer: Peer,
  { transportId }: MediaRequestData<'restartIce'>,
): Promise<MediaReplyData<'restartIce'>> {
  const iceParameters = await peer.transport(transportId).restartIce();
  return { iceParameters };
}
